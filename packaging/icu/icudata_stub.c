/* An empty ICU common-data package, in place of Qt's 31 MB libicudata.so.73.
 *
 * PySide6's Qt links ICU, and ICU's data library holds collation rules, locale names,
 * break iterators and legacy codepage tables for every language. Qt reads that data only
 * for QCollator, locale-aware case mapping (QLocale::toUpper/toLower) and non-Unicode
 * QStringConverter codecs, none of which the kiosk uses (text layout, QLocale's dates and
 * numbers, and UTF-8 are Qt's own). An empty package ("CmnD", no entries) is valid ICU
 * data: a lookup finds nothing and returns an error code, which Qt checks.
 *
 * Built by tools/release/icu_stub.py (the committed libicudata.so.73 beside this file is its
 * output); packaging/asistencia.spec puts it in the bundle; tests/release/test_icu_stub.py checks
 * the kiosk draws exactly the same pixels with it.
 */
#include <stdint.h>

typedef struct {
    uint16_t headerSize; /* MappedData: the header's size, then ICU's two magic bytes */
    uint8_t magic1, magic2;
    uint16_t size, reservedWord; /* UDataInfo */
    uint8_t isBigEndian, charsetFamily, sizeofUChar, reservedByte;
    uint8_t dataFormat[4], formatVersion[4], dataVersion[4];
    uint32_t padding[2]; /* to headerSize (32) */
    uint32_t count; /* the table of contents: no entries */
} EmptyPackage;

__attribute__((visibility("default"), aligned(16)))
const EmptyPackage icudt73_dat = {
    32, 0xda, 0x27,
    20, 0,
    0, 0, 2, 0, /* little-endian, ASCII, UChar of 2 bytes */
    {'C', 'm', 'n', 'D'}, {1, 0, 0, 0}, {73, 0, 0, 0},
    {0, 0},
    0,
};
