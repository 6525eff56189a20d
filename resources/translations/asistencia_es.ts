<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es_ES">
<context>
    <name>AddRecordDialog</name>
    <message>
        <source>Add a record</source>
        <translation>Añadir un registro</translation>
    </message>
    <message>
        <source>Records what the employee did at the time it happened (a forgotten check-out, a break nobody recorded). It is marked manual, with your name and the reason.</source>
        <translation>Registra lo que hizo el empleado a la hora en que ocurrió (una salida olvidada, una pausa sin registrar). Queda marcado como manual, con su nombre y el motivo.</translation>
    </message>
    <message>
        <source>&amp;Employee</source>
        <translation>&amp;Empleado</translation>
    </message>
    <message>
        <source>Choose the employee.</source>
        <translation>Elija el empleado.</translation>
    </message>
</context>
<context>
    <name>AdminPage</name>
    <message>
        <source>Working…</source>
        <translation>Trabajando…</translation>
    </message>
    <message>
        <source>Saved, but an environment variable still decides: {names}. Remove it from the kiosk&apos;s environment for this setting to apply.</source>
        <translation>Guardado, pero una variable de entorno sigue mandando: {names}. Quítela del entorno del quiosco para que este ajuste se aplique.</translation>
    </message>
    <message>
        <source>Saved. The change is in force now.</source>
        <translation>Guardado. El cambio ya está en vigor.</translation>
    </message>
</context>
<context>
    <name>AdminScreen</name>
    <message>
        <source>Settings pages</source>
        <translation>Páginas de ajustes</translation>
    </message>
    <message>
        <source>Employees</source>
        <translation>Empleados</translation>
    </message>
    <message>
        <source>Face enrollment</source>
        <translation>Registro facial</translation>
    </message>
    <message>
        <source>Shifts</source>
        <translation>Turnos</translation>
    </message>
    <message>
        <source>Camera</source>
        <translation>Cámara</translation>
    </message>
    <message>
        <source>Recognition</source>
        <translation>Reconocimiento</translation>
    </message>
    <message>
        <source>Attendance</source>
        <translation>Asistencia</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Exportar</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>Sincronización</translation>
    </message>
    <message>
        <source>Kiosk</source>
        <translation>Quiosco</translation>
    </message>
    <message>
        <source>Administrators</source>
        <translation>Administradores</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Ajustes</translation>
    </message>
    <message>
        <source>Signed in as {user}</source>
        <translation>Sesión iniciada como {user}</translation>
    </message>
    <message>
        <source>Nobody is recorded while the settings are open</source>
        <translation>No se registra a nadie mientras los ajustes están abiertos</translation>
    </message>
    <message>
        <source>← Back to the kiosk (Esc)</source>
        <translation>← Volver al quiosco (Esc)</translation>
    </message>
</context>
<context>
    <name>AdminStep</name>
    <message>
        <source>Your administrator account</source>
        <translation>Su cuenta de administrador</translation>
    </message>
    <message>
        <source>Only administrators open the settings (F2, or the ⚙ button). Choose your user name and a password of at least 10 characters; type it twice.</source>
        <translation>Solo los administradores abren los ajustes (F2 o el botón ⚙). Elija su nombre de usuario y una contraseña de al menos 10 caracteres; escríbala dos veces.</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>Nombre de usuario</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Contraseña</translation>
    </message>
    <message>
        <source>Repeat the password</source>
        <translation>Repita la contraseña</translation>
    </message>
    <message>
        <source>&amp;User name</source>
        <translation>&amp;Usuario</translation>
    </message>
    <message>
        <source>&amp;Password</source>
        <translation>&amp;Contraseña</translation>
    </message>
    <message>
        <source>&amp;Repeat it</source>
        <translation>&amp;Repítala</translation>
    </message>
    <message>
        <source>Write a user name: 1 to 64 characters, no spaces.</source>
        <translation>Escriba un nombre de usuario: de 1 a 64 caracteres, sin espacios.</translation>
    </message>
    <message>
        <source>The password needs at least 10 characters.</source>
        <translation>La contraseña necesita al menos 10 caracteres.</translation>
    </message>
    <message>
        <source>The password cannot start or end with spaces.</source>
        <translation>La contraseña no puede empezar ni terminar con espacios.</translation>
    </message>
    <message>
        <source>The password is too repetitive. Use more different characters.</source>
        <translation>La contraseña es demasiado repetitiva. Use caracteres más variados.</translation>
    </message>
    <message>
        <source>The two passwords differ. Type the same one twice.</source>
        <translation>Las dos contraseñas no coinciden. Escriba la misma dos veces.</translation>
    </message>
</context>
<context>
    <name>AdminsPage</name>
    <message>
        <source>People who can open these settings. Keep at least two, so that one can let the other back in.</source>
        <translation>Las personas que pueden abrir estos ajustes. Mantenga al menos dos, para que uno pueda volver a dar acceso al otro.</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>Nombre de usuario</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>Last sign-in</source>
        <translation>Último acceso</translation>
    </message>
    <message>
        <source>&amp;Disable</source>
        <translation>&amp;Desactivar</translation>
    </message>
    <message>
        <source>Set this &amp;temporary password</source>
        <translation>Poner esta contraseña &amp;temporal</translation>
    </message>
    <message>
        <source>The selected administrator</source>
        <translation>El administrador seleccionado</translation>
    </message>
    <message>
        <source>New pass&amp;word</source>
        <translation>&amp;Contraseña nueva</translation>
    </message>
    <message>
        <source>Repeat it</source>
        <translation>Repítala</translation>
    </message>
    <message>
        <source>They choose their own password at their next sign-in.</source>
        <translation>Elegirá su propia contraseña en su próximo acceso.</translation>
    </message>
    <message>
        <source>&amp;Add administrator</source>
        <translation>&amp;Añadir administrador</translation>
    </message>
    <message>
        <source>A new administrator</source>
        <translation>Un administrador nuevo</translation>
    </message>
    <message>
        <source>&amp;User name</source>
        <translation>&amp;Usuario</translation>
    </message>
    <message>
        <source>&amp;Password</source>
        <translation>&amp;Contraseña</translation>
    </message>
    <message>
        <source>&amp;Repeat it</source>
        <translation>&amp;Repítala</translation>
    </message>
    <message>
        <source>Administrators</source>
        <translation>Administradores</translation>
    </message>
    <message>
        <source>disabled</source>
        <translation>desactivado</translation>
    </message>
    <message>
        <source>active</source>
        <translation>activo</translation>
    </message>
    <message>
        <source>you</source>
        <translation>usted</translation>
    </message>
    <message>
        <source>locked after failed attempts</source>
        <translation>bloqueado tras intentos fallidos</translation>
    </message>
    <message>
        <source>must choose a new password</source>
        <translation>debe elegir una contraseña nueva</translation>
    </message>
    <message>
        <source>&amp;Enable</source>
        <translation>&amp;Activar</translation>
    </message>
    <message>
        <source>Your own account: change your password on the Kiosk page.</source>
        <translation>Su propia cuenta: cambie su contraseña en la página Quiosco.</translation>
    </message>
    <message>
        <source>Choose an administrator in the list.</source>
        <translation>Elija un administrador de la lista.</translation>
    </message>
    <message>
        <source>{user} can sign in again.</source>
        <translation>{user} puede volver a acceder.</translation>
    </message>
    <message>
        <source>{user} can no longer sign in.</source>
        <translation>{user} ya no puede acceder.</translation>
    </message>
    <message>
        <source>{user} has a temporary password now; tell it to them. They choose their own at their next sign-in.</source>
        <translation>{user} tiene ahora una contraseña temporal; comuníquesela. Elegirá la suya en su próximo acceso.</translation>
    </message>
    <message>
        <source>Write a user name: 1 to 64 characters, no spaces.</source>
        <translation>Escriba un nombre de usuario: de 1 a 64 caracteres, sin espacios.</translation>
    </message>
    <message>
        <source>{user} can now open the settings.</source>
        <translation>{user} ya puede abrir los ajustes.</translation>
    </message>
    <message>
        <source>The password needs at least 10 characters.</source>
        <translation>La contraseña necesita al menos 10 caracteres.</translation>
    </message>
    <message>
        <source>The password cannot start or end with spaces.</source>
        <translation>La contraseña no puede empezar ni terminar con espacios.</translation>
    </message>
    <message>
        <source>The password is too repetitive. Use more different characters.</source>
        <translation>La contraseña es demasiado repetitiva. Use caracteres más variados.</translation>
    </message>
    <message>
        <source>The two passwords differ. Type the same one twice.</source>
        <translation>Las dos contraseñas no coinciden. Escriba la misma dos veces.</translation>
    </message>
    <message>
        <source>This is the last active administrator: add or enable another one first, so that someone can still open the settings.</source>
        <translation>Es el último administrador activo: añada o active otro primero, para que alguien pueda seguir abriendo los ajustes.</translation>
    </message>
    <message>
        <source>You cannot disable your own account.</source>
        <translation>No puede desactivar su propia cuenta.</translation>
    </message>
    <message>
        <source>That user name is taken. Choose another.</source>
        <translation>Ese nombre de usuario ya existe. Elija otro.</translation>
    </message>
</context>
<context>
    <name>AttendancePage</name>
    <message>
        <source>Day</source>
        <translation>Día</translation>
    </message>
    <message>
        <source>Employee</source>
        <translation>Empleado</translation>
    </message>
    <message>
        <source>All employees</source>
        <translation>Todos los empleados</translation>
    </message>
    <message>
        <source>&amp;Show</source>
        <translation>&amp;Mostrar</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Hora</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>Código</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nombre</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>Registro</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>Método</translation>
    </message>
    <message>
        <source>Late</source>
        <translation>Retraso</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>&amp;Void record…</source>
        <translation>&amp;Anular registro…</translation>
    </message>
    <message>
        <source>C&amp;hange record…</source>
        <translation>Cam&amp;biar registro…</translation>
    </message>
    <message>
        <source>&amp;Add record…</source>
        <translation>&amp;Añadir registro…</translation>
    </message>
    <message>
        <source>&amp;Day</source>
        <translation>&amp;Día</translation>
    </message>
    <message>
        <source>&amp;Employee</source>
        <translation>&amp;Empleado</translation>
    </message>
    <message>
        <source>Attendance</source>
        <translation>Asistencia</translation>
    </message>
    <message>
        <source>face</source>
        <translation>cara</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>PIN</translation>
    </message>
    <message>
        <source>manual</source>
        <translation>manual</translation>
    </message>
    <message>
        <source>voided: {reason}</source>
        <translation>anulado: {reason}</translation>
    </message>
    <message>
        <source>valid</source>
        <translation>válido</translation>
    </message>
    <message numerus="yes">
        <source>%n record(s)</source>
        <translation>
            <numerusform>%n registro</numerusform>
            <numerusform>%n registros</numerusform>
        </translation>
    </message>
    <message>
        <source>Void a record</source>
        <translation>Anular un registro</translation>
    </message>
    <message>
        <source>{kind} of {name} at {time}. The record stays in the log, marked void, with your name and the reason. Add a manual record afterwards if one is needed.</source>
        <translation>{kind} de {name} a las {time}. El registro queda en el historial, marcado como anulado, con su nombre y el motivo. Después añada un registro manual si hace falta.</translation>
    </message>
    <message>
        <source>Record voided.</source>
        <translation>Registro anulado.</translation>
    </message>
    <message>
        <source>{kind} of {name} at {time}</source>
        <translation>{kind} de {name} a las {time}</translation>
    </message>
    <message>
        <source>{kind} recorded for {name} at {time}.</source>
        <translation>{kind} registrada para {name} a las {time}.</translation>
    </message>
</context>
<context>
    <name>CameraCaptureTab</name>
    <message>
        <source>&amp;Samples</source>
        <translation>&amp;Muestras</translation>
    </message>
    <message>
        <source>Samples</source>
        <translation>Muestras</translation>
    </message>
    <message>
        <source>&amp;Start capture</source>
        <translation>&amp;Empezar la captura</translation>
    </message>
    <message>
        <source>&amp;Cancel capture</source>
        <translation>&amp;Cancelar la captura</translation>
    </message>
    <message>
        <source>Ask the person to stand alone in front of the camera.</source>
        <translation>Pida a la persona que se ponga sola delante de la cámara.</translation>
    </message>
    <message>
        <source>What the person should do</source>
        <translation>Lo que debe hacer la persona</translation>
    </message>
    <message>
        <source>Waiting for the camera…</source>
        <translation>Esperando a la cámara…</translation>
    </message>
    <message>
        <source>%v of %m samples</source>
        <translation>%v de %m muestras</translation>
    </message>
    <message>
        <source>Samples taken</source>
        <translation>Muestras tomadas</translation>
    </message>
    <message>
        <source>Faces of the samples taken</source>
        <translation>Caras de las muestras tomadas</translation>
    </message>
    <message>
        <source>✓ Sample {n} of {needed} taken</source>
        <translation>✓ Muestra {n} de {needed} tomada</translation>
    </message>
    <message>
        <source>✕ Not taken: {why}</source>
        <translation>✕ No tomada: {why}</translation>
    </message>
    <message>
        <source>This face is already enrolled as {who}. If that is a mistake, erase that person&apos;s face data first; otherwise enroll the right employee.</source>
        <translation>Esta cara ya está registrada como {who}. Si es un error, borre antes los datos faciales de esa persona; si no, registre al empleado correcto.</translation>
    </message>
    <message>
        <source>Sample {n}</source>
        <translation>Muestra {n}</translation>
    </message>
    <message>
        <source>Waiting for the head to move: the next sample is taken from another position.</source>
        <translation>Esperando a que mueva la cabeza: la siguiente muestra se toma desde otra posición.</translation>
    </message>
    <message>
        <source>Look straight at the camera.</source>
        <translation>Mire de frente a la cámara.</translation>
    </message>
    <message>
        <source>Turn a little to the left…</source>
        <translation>Gire un poco a la izquierda…</translation>
    </message>
    <message>
        <source>Turn a little to the right…</source>
        <translation>Gire un poco a la derecha…</translation>
    </message>
    <message>
        <source>Lift your chin a little…</source>
        <translation>Levante un poco la barbilla…</translation>
    </message>
    <message>
        <source>Lower your chin a little…</source>
        <translation>Baje un poco la barbilla…</translation>
    </message>
    <message>
        <source>A little up and to the left…</source>
        <translation>Un poco hacia arriba y a la izquierda…</translation>
    </message>
    <message>
        <source>A little up and to the right…</source>
        <translation>Un poco hacia arriba y a la derecha…</translation>
    </message>
    <message>
        <source>A little down and to the left…</source>
        <translation>Un poco hacia abajo y a la izquierda…</translation>
    </message>
    <message>
        <source>A little down and to the right…</source>
        <translation>Un poco hacia abajo y a la derecha…</translation>
    </message>
    <message>
        <source>Move your head a little, any way…</source>
        <translation>Mueva un poco la cabeza, hacia cualquier lado…</translation>
    </message>
</context>
<context>
    <name>CameraPage</name>
    <message>
        <source>A camera number (0 is the first camera), a network camera&apos;s rtsp:// or http:// address, a video file or a folder of images (for trials).</source>
        <translation>Un número de cámara (0 es la primera), la dirección rtsp:// o http:// de una cámara de red, un archivo de vídeo o una carpeta de imágenes (para pruebas).</translation>
    </message>
    <message>
        <source>Camera source</source>
        <translation>Origen de la cámara</translation>
    </message>
    <message>
        <source>Camera {n}</source>
        <translation>Cámara {n}</translation>
    </message>
    <message>
        <source>Video &amp;file…</source>
        <translation>&amp;Archivo de vídeo…</translation>
    </message>
    <message>
        <source>Image f&amp;older…</source>
        <translation>&amp;Carpeta de imágenes…</translation>
    </message>
    <message>
        <source>&amp;Apply</source>
        <translation>A&amp;plicar</translation>
    </message>
    <message>
        <source>No picture from the camera</source>
        <translation>La cámara no envía imagen</translation>
    </message>
    <message>
        <source>&amp;Source</source>
        <translation>&amp;Origen</translation>
    </message>
    <message>
        <source>&amp;Resolution</source>
        <translation>&amp;Resolución</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>Camera</source>
        <translation>Cámara</translation>
    </message>
    <message>
        <source>Choose a video file</source>
        <translation>Elija un archivo de vídeo</translation>
    </message>
    <message>
        <source>Videos (*.mp4 *.avi *.mkv *.mov *.webm);;All files (*)</source>
        <translation>Vídeos (*.mp4 *.avi *.mkv *.mov *.webm);;Todos los archivos (*)</translation>
    </message>
    <message>
        <source>Choose a folder of images</source>
        <translation>Elija una carpeta de imágenes</translation>
    </message>
    <message>
        <source>Working</source>
        <translation>Funciona</translation>
    </message>
    <message>
        <source>Opening…</source>
        <translation>Abriendo…</translation>
    </message>
    <message>
        <source>Lost; reconnecting</source>
        <translation>Perdida; reconectando</translation>
    </message>
    <message>
        <source>The video ended</source>
        <translation>El vídeo terminó</translation>
    </message>
    <message>
        <source>Not working</source>
        <translation>No funciona</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>Detenida</translation>
    </message>
</context>
<context>
    <name>CameraText</name>
    <message>
        <source>camera {name}</source>
        <translation>cámara {name}</translation>
    </message>
    <message>
        <source>the camera {name}</source>
        <translation>la cámara {name}</translation>
    </message>
    <message>
        <source>stream {name}</source>
        <translation>emisión {name}</translation>
    </message>
    <message>
        <source>the stream {name}</source>
        <translation>la emisión {name}</translation>
    </message>
    <message>
        <source>video file {name}</source>
        <translation>archivo de vídeo {name}</translation>
    </message>
    <message>
        <source>the video file {name}</source>
        <translation>el archivo de vídeo {name}</translation>
    </message>
    <message>
        <source>image folder {name}</source>
        <translation>carpeta de imágenes {name}</translation>
    </message>
    <message>
        <source>the image folder {name}</source>
        <translation>la carpeta de imágenes {name}</translation>
    </message>
    <message>
        <source>{label} is back ({size}); failed attempts: {n}</source>
        <translation>{label} vuelve a funcionar ({size}); intentos fallidos: {n}</translation>
    </message>
    <message>
        <source>End of the {label}; frames: {n}</source>
        <translation>Fin del {label}; fotogramas: {n}</translation>
    </message>
    <message>
        <source>End of the {label}; images: {n}</source>
        <translation>Fin de la {label}; imágenes: {n}</translation>
    </message>
    <message>
        <source>; unreadable files skipped: {k}</source>
        <translation>; archivos ilegibles omitidos: {k}</translation>
    </message>
    <message>
        <source>{label} is not connected ({node} does not exist)</source>
        <translation>{label} no está conectada ({node} no existe)</translation>
    </message>
    <message>
        <source>No permission to use {label} ({node}): add this user to the “video” group</source>
        <translation>No hay permiso para usar {label} ({node}): añada este usuario al grupo «video»</translation>
    </message>
    <message>
        <source>{label} could not be opened (another program uses it, or it is not a camera)</source>
        <translation>No se pudo abrir {label} (otro programa la está usando, o no es una cámara)</translation>
    </message>
    <message>
        <source>Cannot connect to {label} (unreachable, a wrong address or password, or not a video stream)</source>
        <translation>No se puede conectar con {label} (no responde, la dirección o la contraseña no son correctas, o no es una emisión de vídeo)</translation>
    </message>
    <message>
        <source>{label} is empty</source>
        <translation>{label} está vacío</translation>
    </message>
    <message>
        <source>{label} does not exist</source>
        <translation>{label} no existe</translation>
    </message>
    <message>
        <source>{label} cannot be read ({why})</source>
        <translation>No se puede leer {label} ({why})</translation>
    </message>
    <message>
        <source>{label} cannot be opened as a video (damaged, or a format that cannot be read)</source>
        <translation>No se puede abrir {label} como vídeo (está dañado o su formato no se puede leer)</translation>
    </message>
    <message>
        <source>{label} has no files</source>
        <translation>{label} no tiene archivos</translation>
    </message>
    <message>
        <source>{label} stopped sending pictures</source>
        <translation>{label} dejó de enviar imágenes</translation>
    </message>
    <message>
        <source>Opening {label}</source>
        <translation>Abriendo {label}</translation>
    </message>
    <message>
        <source>Showing {label} ({size})</source>
        <translation>Mostrando {label} ({size})</translation>
    </message>
    <message>
        <source>No picture could be read from {label}</source>
        <translation>No se pudo leer ninguna imagen de {label}</translation>
    </message>
    <message>
        <source> (the log lists the skipped files)</source>
        <translation> (el registro indica los archivos omitidos)</translation>
    </message>
    <message>
        <source>The camera source {raw} was not found. Use a camera number (0, 1, …), /dev/videoN, an rtsp:// or http(s):// address, a video file or a folder of images that exists.</source>
        <translation>No se encontró la fuente de cámara {raw}. Use un número de cámara (0, 1, …), /dev/videoN, una dirección rtsp:// o http(s)://, o un archivo de vídeo o una carpeta de imágenes que exista.</translation>
    </message>
    <message>
        <source>The camera source {raw} is neither a video file nor a folder of images.</source>
        <translation>La fuente de cámara {raw} no es un archivo de vídeo ni una carpeta de imágenes.</translation>
    </message>
    <message>
        <source>Write a camera source: a camera number (0, 1, …), /dev/videoN, an rtsp:// or http(s):// address, a video file or a folder of images.</source>
        <translation>Escriba una fuente de cámara: un número de cámara (0, 1, …), /dev/videoN, una dirección rtsp:// o http(s)://, un archivo de vídeo o una carpeta de imágenes.</translation>
    </message>
    <message>
        <source>{reason}. Trying again in {s} s (attempt {n}).</source>
        <translation>{reason}. Nuevo intento en {s} s (intento {n}).</translation>
    </message>
    <message>
        <source>{reason}. Gave up; attempts: {n}.</source>
        <translation>{reason}. Se dejó de intentar; intentos: {n}.</translation>
    </message>
</context>
<context>
    <name>ChangeRecordDialog</name>
    <message>
        <source>Change a record</source>
        <translation>Cambiar un registro</translation>
    </message>
    <message>
        <source>{record}. The record stays in the log, marked void, and a manual record with what you choose here replaces it, with your name and the reason.</source>
        <translation>{record}. El registro se queda en el historial, marcado como anulado, y lo sustituye un registro manual con lo que elija aquí, con su nombre y el motivo.</translation>
    </message>
    <message>
        <source>Change the record or the time (or cancel).</source>
        <translation>Cambie el registro o la hora (o cancele).</translation>
    </message>
</context>
<context>
    <name>CorrectionDialog</name>
    <message>
        <source>Date and time</source>
        <translation>Fecha y hora</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>Registro</translation>
    </message>
    <message>
        <source>What the rules expect then</source>
        <translation>Lo que esperan las reglas a esa hora</translation>
    </message>
    <message>
        <source>&amp;When</source>
        <translation>&amp;Cuándo</translation>
    </message>
    <message>
        <source>Rec&amp;ord</source>
        <translation>Re&amp;gistro</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Guardando…</translation>
    </message>
</context>
<context>
    <name>DoneStep</name>
    <message>
        <source>Ready</source>
        <translation>Listo</translation>
    </message>
    <message>
        <source>Enroll the first employee</source>
        <translation>Registrar al primer empleado</translation>
    </message>
    <message>
        <source>Join a central database</source>
        <translation>Unirse a una base de datos central</translation>
    </message>
    <message>
        <source>Go to the kiosk screen</source>
        <translation>Ir a la pantalla del quiosco</translation>
    </message>
    <message>
        <source>Add a person, then take their face from the camera.</source>
        <translation>Añada a una persona y luego registre su cara con la cámara.</translation>
    </message>
    <message>
        <source>For several kiosks sharing employees and records: the join file made on the server, on a USB stick.</source>
        <translation>Para varios quioscos que comparten empleados y registros: el archivo de unión hecho en el servidor, en una memoria USB.</translation>
    </message>
    <message>
        <source>Nothing more now; F2 or ⚙ opens the settings later.</source>
        <translation>Nada más por ahora; F2 o ⚙ abren los ajustes más tarde.</translation>
    </message>
    <message>
        <source>You are signed in as {user}. What next? Either way you stay in the settings; the kiosk screen is one button away.</source>
        <translation>Ha iniciado sesión como {user}. ¿Qué sigue? En ambos casos sigue en los ajustes; la pantalla del quiosco está a un botón.</translation>
    </message>
</context>
<context>
    <name>Durations</name>
    <message>
        <source>{m} min</source>
        <translation>{m} min</translation>
    </message>
    <message>
        <source>{h} h</source>
        <translation>{h} h</translation>
    </message>
    <message>
        <source>{h} h {m} min</source>
        <translation>{h} h {m} min</translation>
    </message>
</context>
<context>
    <name>EmployeeDialog</name>
    <message>
        <source>Edit employee</source>
        <translation>Editar empleado</translation>
    </message>
    <message>
        <source>New employee</source>
        <translation>Nuevo empleado</translation>
    </message>
    <message>
        <source>optional, {low} to {high} digits</source>
        <translation>opcional, de {low} a {high} cifras</translation>
    </message>
    <message>
        <source>&amp;Code</source>
        <translation>&amp;Código</translation>
    </message>
    <message>
        <source>&amp;Name</source>
        <translation>&amp;Nombre</translation>
    </message>
    <message>
        <source>&amp;PIN</source>
        <translation>&amp;PIN</translation>
    </message>
    <message>
        <source>Write the employee&apos;s code.</source>
        <translation>Escriba el código del empleado.</translation>
    </message>
    <message>
        <source>Write the employee&apos;s name.</source>
        <translation>Escriba el nombre del empleado.</translation>
    </message>
    <message>
        <source>The PIN must be {low} to {high} digits, or empty.</source>
        <translation>El PIN debe tener de {low} a {high} cifras, o quedar vacío.</translation>
    </message>
</context>
<context>
    <name>EmployeeTable</name>
    <message>
        <source>Code</source>
        <translation>Código</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nombre</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>PIN</translation>
    </message>
    <message>
        <source>Face samples</source>
        <translation>Muestras faciales</translation>
    </message>
    <message>
        <source>Shifts</source>
        <translation>Turnos</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>sí</translation>
    </message>
    <message>
        <source>no</source>
        <translation>no</translation>
    </message>
    <message>
        <source>active</source>
        <translation>activo</translation>
    </message>
    <message>
        <source>deactivated</source>
        <translation>desactivado</translation>
    </message>
</context>
<context>
    <name>EmployeesPage</name>
    <message>
        <source>Everyone who records attendance here. Deactivating keeps their records; erasing biometric data removes their face everywhere, for good.</source>
        <translation>Todas las personas que registran su asistencia aquí. Desactivar conserva sus registros; borrar los datos biométricos elimina su cara en todas partes, para siempre.</translation>
    </message>
    <message>
        <source>Search by name or code</source>
        <translation>Buscar por nombre o código</translation>
    </message>
    <message>
        <source>Search employees</source>
        <translation>Buscar empleados</translation>
    </message>
    <message>
        <source>Show deactivated</source>
        <translation>Mostrar desactivados</translation>
    </message>
    <message>
        <source>&amp;Add…</source>
        <translation>&amp;Añadir…</translation>
    </message>
    <message>
        <source>&amp;Edit…</source>
        <translation>&amp;Editar…</translation>
    </message>
    <message>
        <source>Set &amp;PIN…</source>
        <translation>Poner &amp;PIN…</translation>
    </message>
    <message>
        <source>Enroll &amp;face…</source>
        <translation>Registrar &amp;cara…</translation>
    </message>
    <message>
        <source>&amp;Deactivate…</source>
        <translation>&amp;Desactivar…</translation>
    </message>
    <message>
        <source>E&amp;rase face data…</source>
        <translation>&amp;Borrar datos faciales…</translation>
    </message>
    <message>
        <source>Employees</source>
        <translation>Empleados</translation>
    </message>
    <message>
        <source>Re&amp;activate</source>
        <translation>Re&amp;activar</translation>
    </message>
    <message>
        <source>{name} added.</source>
        <translation>{name} añadido.</translation>
    </message>
    <message>
        <source>{name} saved.</source>
        <translation>{name} guardado.</translation>
    </message>
    <message>
        <source>PIN saved for {name}.</source>
        <translation>PIN guardado para {name}.</translation>
    </message>
    <message>
        <source>PIN removed for {name}.</source>
        <translation>PIN quitado a {name}.</translation>
    </message>
    <message>
        <source>{name} is active again.</source>
        <translation>{name} vuelve a estar activo.</translation>
    </message>
    <message>
        <source>Deactivate {name}</source>
        <translation>Desactivar a {name}</translation>
    </message>
    <message>
        <source>They will no longer be recognised or accepted by PIN. Their records stay, and you can reactivate them later.</source>
        <translation>Dejará de ser reconocido y de poder usar el PIN. Sus registros se conservan y puede reactivarlo más adelante.</translation>
    </message>
    <message>
        <source>{name} is deactivated.</source>
        <translation>{name} está desactivado.</translation>
    </message>
    <message>
        <source>Erase the face data of {name}</source>
        <translation>Borrar los datos faciales de {name}</translation>
    </message>
    <message>
        <source>Deletes every face sample and the enrollment photo of {name}, on this kiosk and, through sync, everywhere. Attendance records stay. This cannot be undone; to use the face again, enroll it again.</source>
        <translation>Borra todas las muestras faciales y la foto de registro de {name}, en este quiosco y, mediante la sincronización, en todas partes. Los registros de asistencia se conservan. No se puede deshacer; para volver a usar la cara, regístrela de nuevo.</translation>
    </message>
    <message>
        <source>I understand that this cannot be undone</source>
        <translation>Entiendo que no se puede deshacer</translation>
    </message>
    <message numerus="yes">
        <source>Face data of {name} erased (%n sample(s)).</source>
        <translation>
            <numerusform>Datos faciales de {name} borrados (%n muestra).</numerusform>
            <numerusform>Datos faciales de {name} borrados (%n muestras).</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>EnrollmentPage</name>
    <message>
        <source>Employee to enroll</source>
        <translation>Empleado que se registra</translation>
    </message>
    <message>
        <source>&amp;Employee</source>
        <translation>&amp;Empleado</translation>
    </message>
    <message>
        <source>Consent given</source>
        <translation>Consentimiento dado</translation>
    </message>
    <message>
        <source>From the &amp;camera</source>
        <translation>Con la &amp;cámara</translation>
    </message>
    <message>
        <source>From &amp;photo files</source>
        <translation>Con &amp;fotos</translation>
    </message>
    <message>
        <source>The person agrees that this kiosk keeps their face data to record their attendance. It can be erased at any time from Employees.</source>
        <translation>La persona acepta que este quiosco guarde sus datos faciales para registrar su asistencia. Se pueden borrar en cualquier momento desde Empleados.</translation>
    </message>
    <message>
        <source>Face enrollment</source>
        <translation>Registro facial</translation>
    </message>
    <message numerus="yes">
        <source>%n sample(s)</source>
        <translation>
            <numerusform>%n muestra</numerusform>
            <numerusform>%n muestras</numerusform>
        </translation>
    </message>
    <message>
        <source>Add the employee first, in Employees.</source>
        <translation>Primero añada al empleado, en Empleados.</translation>
    </message>
    <message>
        <source>Choose the employee to enroll.</source>
        <translation>Elija el empleado que se va a registrar.</translation>
    </message>
    <message>
        <source>Ask for the person&apos;s consent and tick the box before enrolling.</source>
        <translation>Pida el consentimiento de la persona y marque la casilla antes de registrar.</translation>
    </message>
    <message>
        <source>Enrollment stopped: this face is already enrolled. Nothing was saved.</source>
        <translation>Registro detenido: esta cara ya está registrada. No se ha guardado nada.</translation>
    </message>
    <message>
        <source>Enrollment stopped: this face does not match the faces already enrolled for this employee. Nothing was saved. If it is the same person, erase their face data first, then enroll again.</source>
        <translation>Registro detenido: esta cara no coincide con las ya registradas para este empleado. No se ha guardado nada. Si es la misma persona, borre primero sus datos faciales y vuelva a registrarla.</translation>
    </message>
    <message>
        <source>Enrollment cancelled. Nothing was saved.</source>
        <translation>Registro cancelado. No se ha guardado nada.</translation>
    </message>
    <message>
        <source>Enrollment did not finish, nothing was saved: {why}</source>
        <translation>El registro no terminó y no se ha guardado nada: {why}</translation>
    </message>
    <message numerus="yes">
        <source>Enrollment complete: %n sample(s) saved.</source>
        <translation>
            <numerusform>Registro completo: %n muestra guardada.</numerusform>
            <numerusform>Registro completo: %n muestras guardadas.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n photo(s) enrolled.</source>
        <translation>
            <numerusform>%n foto registrada.</numerusform>
            <numerusform>%n fotos registradas.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n refused: see why beside each.</source>
        <translation>
            <numerusform>%n rechazada: el motivo está junto a ella.</numerusform>
            <numerusform>%n rechazadas: el motivo está junto a cada una.</numerusform>
        </translation>
    </message>
    <message>
        <source>No photo could be used; nothing was saved. See why beside each.</source>
        <translation>No se pudo usar ninguna foto; no se guardó nada. El motivo está junto a cada una.</translation>
    </message>
</context>
<context>
    <name>ExportPage</name>
    <message>
        <source>XLSX (Excel)</source>
        <translation>XLSX (Excel)</translation>
    </message>
    <message>
        <source>All employees</source>
        <translation>Todos los empleados</translation>
    </message>
    <message>
        <source>File to write</source>
        <translation>Archivo que se escribe</translation>
    </message>
    <message>
        <source>C&amp;hoose…</source>
        <translation>E&amp;legir…</translation>
    </message>
    <message>
        <source>&amp;Export</source>
        <translation>E&amp;xportar</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>Formato</translation>
    </message>
    <message>
        <source>&amp;Employee</source>
        <translation>&amp;Empleado</translation>
    </message>
    <message>
        <source>For payroll: each employee&apos;s days (first in, last out, breaks, hours worked, lateness, overtime, missing check-outs, corrections) and the period&apos;s totals (days, hours, absences), with every record (voided ones marked).</source>
        <translation>Para la nómina: los días de cada empleado (primera entrada, última salida, pausas, horas trabajadas, retrasos, horas extra, salidas que faltan, correcciones) y los totales del periodo (días, horas, ausencias), con todos los registros (los anulados, marcados).</translation>
    </message>
    <message>
        <source>For spreadsheets (Excel, LibreOffice)</source>
        <translation>Para hojas de cálculo (Excel, LibreOffice)</translation>
    </message>
    <message>
        <source>Plain CSV (RFC 4180)</source>
        <translation>CSV simple (RFC 4180)</translation>
    </message>
    <message>
        <source>Save to</source>
        <translation>Guardar en</translation>
    </message>
    <message>
        <source>Pay period…</source>
        <translation>Periodo de pago…</translation>
    </message>
    <message>
        <source>&amp;Period</source>
        <translation>&amp;Periodo</translation>
    </message>
    <message>
        <source>&amp;Dates</source>
        <translation>&amp;Fechas</translation>
    </message>
    <message>
        <source>CSV f&amp;orm</source>
        <translation>&amp;Tipo de CSV</translation>
    </message>
    <message>
        <source>&amp;Save to</source>
        <translation>&amp;Guardar en</translation>
    </message>
    <message>
        <source>F&amp;ile</source>
        <translation>A&amp;rchivo</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Exportar</translation>
    </message>
    <message>
        <source>This period ({span})</source>
        <translation>Este periodo ({span})</translation>
    </message>
    <message>
        <source>Previous period ({span})</source>
        <translation>Periodo anterior ({span})</translation>
    </message>
    <message>
        <source>Custom dates</source>
        <translation>Otras fechas</translation>
    </message>
    <message>
        <source>USB drive {label}</source>
        <translation>Memoria USB {label}</translation>
    </message>
    <message>
        <source>This kiosk&apos;s exports folder</source>
        <translation>Carpeta de exportaciones de este quiosco</translation>
    </message>
    <message>
        <source>Another place (Choose…)</source>
        <translation>Otro lugar (Elegir…)</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>Archivos CSV (*.csv)</translation>
    </message>
    <message>
        <source>Excel files (*.xlsx)</source>
        <translation>Archivos de Excel (*.xlsx)</translation>
    </message>
    <message>
        <source>Export to</source>
        <translation>Exportar a</translation>
    </message>
    <message>
        <source>The period ends before it starts. Correct the dates.</source>
        <translation>El periodo termina antes de empezar. Corrija las fechas.</translation>
    </message>
    <message>
        <source>Choose the file to write.</source>
        <translation>Elija el archivo que se va a escribir.</translation>
    </message>
    <message>
        <source>on the USB drive {label}</source>
        <translation>en la memoria USB {label}</translation>
    </message>
    <message>
        <source>in {folder}</source>
        <translation>en {folder}</translation>
    </message>
    <message>
        <source>Saved {where}: {name} and {count} more files beside it.</source>
        <translation>Guardado {where}: {name} y {count} archivos más a su lado.</translation>
    </message>
    <message>
        <source>Saved {where}: {name}.</source>
        <translation>Guardado {where}: {name}.</translation>
    </message>
</context>
<context>
    <name>FirstRunScreen</name>
    <message>
        <source>Setting up Asistencia</source>
        <translation>Configuración de Asistencia</translation>
    </message>
    <message>
        <source>← &amp;Back</source>
        <translation>← &amp;Atrás</translation>
    </message>
    <message>
        <source>S&amp;kip this step</source>
        <translation>&amp;Omitir este paso</translation>
    </message>
    <message>
        <source>&amp;Next →</source>
        <translation>&amp;Siguiente →</translation>
    </message>
    <message>
        <source>Step {n} of {total}</source>
        <translation>Paso {n} de {total}</translation>
    </message>
    <message>
        <source>Creating your account…</source>
        <translation>Creando su cuenta…</translation>
    </message>
    <message>
        <source>Saved, but an environment variable still decides: {names}. Remove it from the kiosk&apos;s environment for your choice to apply.</source>
        <translation>Guardado, pero una variable de entorno sigue decidiendo: {names}. Quítela del entorno del quiosco para que se aplique su elección.</translation>
    </message>
</context>
<context>
    <name>JoinPanel</name>
    <message>
        <source>Plug in the USB stick with the join file made on the server (central add-kiosk), choose the file and type the passphrase printed with it. The kiosk takes the deployment&apos;s keys and the database&apos;s address, then syncs.</source>
        <translation>Conecte la memoria USB con el archivo de unión hecho en el servidor (central add-kiosk), elija el archivo y escriba la frase de paso impresa con él. El quiosco toma las claves de la instalación y la dirección de la base de datos, y sincroniza.</translation>
    </message>
    <message>
        <source>Join &amp;file</source>
        <translation>&amp;Archivo de unión</translation>
    </message>
    <message>
        <source>&amp;Passphrase</source>
        <translation>&amp;Frase de paso</translation>
    </message>
    <message>
        <source>Join file</source>
        <translation>Archivo de unión</translation>
    </message>
    <message>
        <source>Join file&apos;s path</source>
        <translation>Ruta del archivo de unión</translation>
    </message>
    <message>
        <source>C&amp;hoose…</source>
        <translation>E&amp;legir…</translation>
    </message>
    <message>
        <source>Passphrase</source>
        <translation>Frase de paso</translation>
    </message>
    <message>
        <source>&amp;Join</source>
        <translation>&amp;Unirse</translation>
    </message>
    <message>
        <source>This kiosk already syncs with {central}. Joining again replaces it; you will be asked to confirm.</source>
        <translation>Este quiosco ya sincroniza con {central}. Unirse de nuevo la sustituye; se le pedirá confirmación.</translation>
    </message>
    <message>
        <source>the groups printed with the file, e.g. 7K2QM-…</source>
        <translation>los grupos impresos con el archivo, p. ej. 7K2QM-…</translation>
    </message>
    <message>
        <source>{count} of {total} characters: {groups}</source>
        <translation>{count} de {total} caracteres: {groups}</translation>
    </message>
    <message>
        <source>Case, spaces and hyphens do not matter; pasting works too.</source>
        <translation>Mayúsculas, espacios y guiones no cuentan; también se puede pegar.</translation>
    </message>
    <message>
        <source>{name} on the USB drive {label}</source>
        <translation>{name} en la memoria USB {label}</translation>
    </message>
    <message>
        <source>Another file (Choose…)</source>
        <translation>Otro archivo (Elegir…)</translation>
    </message>
    <message>
        <source>The join file</source>
        <translation>El archivo de unión</translation>
    </message>
    <message>
        <source>Join files (*.join);;All files (*)</source>
        <translation>Archivos de unión (*.join);;Todos los archivos (*)</translation>
    </message>
    <message>
        <source>Choose the join file: one on the USB stick, or Choose… for another.</source>
        <translation>Elija el archivo de unión: uno de la memoria USB, o Elegir… para otro.</translation>
    </message>
    <message>
        <source>There is no file at {path}. Check that the USB stick is plugged in, or choose the file again.</source>
        <translation>No hay ningún archivo en {path}. Compruebe que la memoria USB está conectada o vuelva a elegir el archivo.</translation>
    </message>
    <message>
        <source>Type the passphrase printed with the join file.</source>
        <translation>Escriba la frase de paso impresa con el archivo de unión.</translation>
    </message>
    <message>
        <source>Join another central database?</source>
        <translation>¿Unirse a otra base de datos central?</translation>
    </message>
    <message>
        <source>This kiosk syncs with {central} now. Joining with this file replaces that database&apos;s address and password; records not sent yet stay on this kiosk.</source>
        <translation>Este quiosco sincroniza ahora con {central}. Unirse con este archivo sustituye la dirección y la contraseña de esa base de datos; los registros aún no enviados se quedan en este quiosco.</translation>
    </message>
    <message>
        <source>Join</source>
        <translation>Unirse</translation>
    </message>
    <message>
        <source>Joining: opening the file, connecting to the central database, first sync… This can take a minute.</source>
        <translation>Uniéndose: abriendo el archivo, conectando con la base de datos central, primera sincronización… Puede tardar un minuto.</translation>
    </message>
    <message>
        <source>site {site}</source>
        <translation>sede {site}</translation>
    </message>
    <message>
        <source>no site: it receives every employee</source>
        <translation>sin sede: recibe a todos los empleados</translation>
    </message>
    <message>
        <source>Joined the central database {central}.</source>
        <translation>Unido a la base de datos central {central}.</translation>
    </message>
    <message>
        <source>This kiosk is {kiosk} ({site}).</source>
        <translation>Este quiosco es {kiosk} ({site}).</translation>
    </message>
    <message>
        <source>Joining…</source>
        <translation>Uniéndose…</translation>
    </message>
</context>
<context>
    <name>JoinStep</name>
    <message>
        <source>Join a central database</source>
        <translation>Unirse a una base de datos central</translation>
    </message>
    <message>
        <source>Type the database&apos;s address instead…</source>
        <translation>Escribir la dirección de la base de datos…</translation>
    </message>
</context>
<context>
    <name>Keypad</name>
    <message>
        <source>Delete</source>
        <translation>Borrar</translation>
    </message>
    <message>
        <source>Letters</source>
        <translation>Letras</translation>
    </message>
    <message>
        <source>Digits</source>
        <translation>Cifras</translation>
    </message>
</context>
<context>
    <name>Kinds</name>
    <message>
        <source>Check-in</source>
        <translation>Entrada</translation>
    </message>
    <message>
        <source>Check-out</source>
        <translation>Salida</translation>
    </message>
    <message>
        <source>Break start</source>
        <translation>Inicio de pausa</translation>
    </message>
    <message>
        <source>Break end</source>
        <translation>Fin de pausa</translation>
    </message>
</context>
<context>
    <name>KioskPage</name>
    <message>
        <source>Automatic (system language; Spanish otherwise)</source>
        <translation>Automático (idioma del sistema; si no, español)</translation>
    </message>
    <message>
        <source>Ask: check-in, check-out or a break</source>
        <translation>Preguntar: entrada, salida o pausa</translation>
    </message>
    <message>
        <source>Alternate check-in and check-out</source>
        <translation>Alternar entrada y salida</translation>
    </message>
    <message>
        <source>Fill the whole screen</source>
        <translation>Ocupar toda la pantalla</translation>
    </message>
    <message>
        <source>Play a sound on each record</source>
        <translation>Sonar en cada registro</translation>
    </message>
    <message>
        <source>&amp;Try the sound</source>
        <translation>&amp;Probar el sonido</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Guardar</translation>
    </message>
    <message>
        <source>This kiosk</source>
        <translation>Este quiosco</translation>
    </message>
    <message>
        <source>&amp;Name on screen</source>
        <translation>&amp;Nombre en pantalla</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Idioma</translation>
    </message>
    <message>
        <source>&amp;Time zone</source>
        <translation>&amp;Zona horaria</translation>
    </message>
    <message>
        <source>After a face or &amp;PIN</source>
        <translation>Tras un rostro o &amp;PIN</translation>
    </message>
    <message>
        <source>Full screen</source>
        <translation>Pantalla completa</translation>
    </message>
    <message>
        <source>Sounds</source>
        <translation>Sonidos</translation>
    </message>
    <message>
        <source>Change &amp;password</source>
        <translation>Cambiar la &amp;contraseña</translation>
    </message>
    <message>
        <source>Your account: {user}</source>
        <translation>Su cuenta: {user}</translation>
    </message>
    <message>
        <source>New pass&amp;word</source>
        <translation>&amp;Contraseña nueva</translation>
    </message>
    <message>
        <source>&amp;Repeat it</source>
        <translation>&amp;Repítala</translation>
    </message>
    <message>
        <source>&amp;Close Asistencia</source>
        <translation>&amp;Cerrar Asistencia</translation>
    </message>
    <message>
        <source>The kiosk stops recording until the program is started again.</source>
        <translation>El quiosco deja de registrar hasta que se vuelva a iniciar el programa.</translation>
    </message>
    <message>
        <source>Kiosk</source>
        <translation>Quiosco</translation>
    </message>
    <message>
        <source>Kiosk id {id} · time zone {zone} · data in {path}</source>
        <translation>Quiosco {id} · zona horaria {zone} · datos en {path}</translation>
    </message>
    <message>
        <source>Write the kiosk&apos;s name.</source>
        <translation>Escriba el nombre del quiosco.</translation>
    </message>
    <message>
        <source>“{zone}” is not a time zone. Type part of a city and choose it in the list, e.g. Europe/Madrid.</source>
        <translation>«{zone}» no es una zona horaria. Escriba parte de una ciudad y elíjala en la lista, p. ej. Europe/Madrid.</translation>
    </message>
    <message>
        <source>What the shift expects, with “Change”</source>
        <translation>Lo que espera el turno, con «Cambiar»</translation>
    </message>
    <message>
        <source>Recommended. Nobody taps anything when the record is the expected one (in the morning, out in the evening, a first exit mid-shift is the break); the card offers to change it for a few seconds.</source>
        <translation>Recomendado. Nadie toca nada cuando el registro es el esperado (entrada por la mañana, salida por la tarde; la primera salida a mitad de turno es la pausa); la tarjeta ofrece cambiarlo durante unos segundos.</translation>
    </message>
    <message>
        <source>After each face or PIN the employee taps check-in, check-out, break start or break end; the expected one is highlighted and taken after a few seconds.</source>
        <translation>Tras cada rostro o PIN el empleado toca entrada, salida, inicio o fin de pausa; el esperado aparece resaltado y se toma solo a los pocos segundos.</translation>
    </message>
    <message>
        <source>Each record is the opposite of the last one. Breaks are not recorded at the kiosk (an administrator can add them).</source>
        <translation>Cada registro es el contrario del anterior. Las pausas no se registran en el quiosco (un administrador puede añadirlas).</translation>
    </message>
    <message>
        <source>The two passwords differ. Type the same one twice.</source>
        <translation>Las dos contraseñas no coinciden. Escriba la misma dos veces.</translation>
    </message>
    <message>
        <source>Password changed.</source>
        <translation>Contraseña cambiada.</translation>
    </message>
    <message>
        <source>Close Asistencia</source>
        <translation>Cerrar Asistencia</translation>
    </message>
    <message>
        <source>Nobody can record attendance at this kiosk until the program is started again (or the computer restarts).</source>
        <translation>Nadie podrá registrar su asistencia en este quiosco hasta que el programa se inicie de nuevo (o se reinicie el ordenador).</translation>
    </message>
</context>
<context>
    <name>KioskScreen</name>
    <message>
        <source>Opening the camera…</source>
        <translation>Abriendo la cámara…</translation>
    </message>
    <message>
        <source>Use code and PIN</source>
        <translation>Usar código y PIN</translation>
    </message>
    <message>
        <source>Or type your code on the keyboard</source>
        <translation>O escriba su código con el teclado</translation>
    </message>
    <message>
        <source>We could not recognise your face. Use your code and PIN.</source>
        <translation>No hemos podido reconocer su cara. Use su código y su PIN.</translation>
    </message>
    <message>
        <source>Face recognition is not available. Record with your code and PIN.</source>
        <translation>El reconocimiento facial no está disponible. Regístrese con su código y su PIN.</translation>
    </message>
    <message>
        <source>Getting ready… Meanwhile you can record with your code and PIN.</source>
        <translation>Preparándose… Mientras tanto puede registrarse con su código y su PIN.</translation>
    </message>
    <message>
        <source>Look at the camera</source>
        <translation>Mire a la cámara</translation>
    </message>
    <message>
        <source>Checking… hold still</source>
        <translation>Comprobando… no se mueva</translation>
    </message>
    <message>
        <source>Please blink</source>
        <translation>Parpadee, por favor</translation>
    </message>
    <message>
        <source>Hello, {name}</source>
        <translation>Hola, {name}</translation>
    </message>
    <message>
        <source>Not recognised. Try again, or use your code and PIN.</source>
        <translation>No reconocido. Inténtelo de nuevo o use su código y su PIN.</translation>
    </message>
    <message>
        <source>For the administrator: {reason}</source>
        <translation>Para el administrador: {reason}</translation>
    </message>
    <message>
        <source>Nobody is enrolled yet: an administrator presses F2 or the ⚙ button to begin.</source>
        <translation>Nadie registrado todavía: un administrador pulsa F2 o el botón ⚙ para empezar.</translation>
    </message>
</context>
<context>
    <name>KioskWindow</name>
    <message>
        <source>Asistencia — {name}</source>
        <translation>Asistencia — {name}</translation>
    </message>
</context>
<context>
    <name>LanguageStep</name>
    <message>
        <source>Welcome. Which language?</source>
        <translation>Bienvenido. ¿Qué idioma?</translation>
    </message>
    <message>
        <source>The kiosk and its settings will speak it. You can change it later.</source>
        <translation>El quiosco y sus ajustes lo usarán. Puede cambiarlo más tarde.</translation>
    </message>
</context>
<context>
    <name>LoginScreen</name>
    <message>
        <source>Settings</source>
        <translation>Ajustes</translation>
    </message>
    <message>
        <source>For administrators. Sign in to continue.</source>
        <translation>Para administradores. Inicie sesión para continuar.</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>Nombre de usuario</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Contraseña</translation>
    </message>
    <message>
        <source>&amp;Sign in</source>
        <translation>&amp;Entrar</translation>
    </message>
    <message>
        <source>New password</source>
        <translation>Contraseña nueva</translation>
    </message>
    <message>
        <source>Repeat the new password</source>
        <translation>Repita la contraseña nueva</translation>
    </message>
    <message>
        <source>&amp;Save and continue</source>
        <translation>&amp;Guardar y continuar</translation>
    </message>
    <message>
        <source>&amp;User</source>
        <translation>&amp;Usuario</translation>
    </message>
    <message>
        <source>&amp;Password</source>
        <translation>&amp;Contraseña</translation>
    </message>
    <message>
        <source>&amp;New password</source>
        <translation>Contraseña &amp;nueva</translation>
    </message>
    <message>
        <source>&amp;Repeat it</source>
        <translation>&amp;Repítala</translation>
    </message>
    <message>
        <source>← Back to the kiosk (Esc)</source>
        <translation>← Volver al quiosco (Esc)</translation>
    </message>
    <message>
        <source>First start: sign in as “{user}” with the one-time password in {file} (readable only by this computer&apos;s kiosk account), then choose your own.</source>
        <translation>Primer inicio: entre como «{user}» con la contraseña de un solo uso que está en {file} (solo la cuenta del quiosco de este ordenador puede leerla) y elija después la suya.</translation>
    </message>
    <message>
        <source>Write your user name and password.</source>
        <translation>Escriba su usuario y su contraseña.</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Comprobando…</translation>
    </message>
    <message>
        <source>Your password was generated at installation. Choose your own now.</source>
        <translation>Su contraseña se generó al instalar. Elija ahora la suya.</translation>
    </message>
    <message>
        <source>The two passwords differ. Type the same one twice.</source>
        <translation>Las dos contraseñas no coinciden. Escriba la misma dos veces.</translation>
    </message>
</context>
<context>
    <name>Messages</name>
    <message>
        <source>Wrong user name or password, or the account is locked after too many failed attempts. Check both and try again later, or ask another administrator to unlock it.</source>
        <translation>Usuario o contraseña incorrectos, o la cuenta está bloqueada por demasiados intentos fallidos. Revise ambos e inténtelo más tarde, o pida a otro administrador que la desbloquee.</translation>
    </message>
    <message>
        <source>Wrong PIN. The PIN of {code} is now locked for {wait}; an administrator can record your attendance meanwhile.</source>
        <translation>PIN incorrecto. El PIN de {code} queda bloqueado durante {wait}; mientras tanto, un administrador puede registrar su asistencia.</translation>
    </message>
    <message>
        <source>The PIN of {code} is locked after too many wrong attempts. Try again in {wait}, or ask an administrator.</source>
        <translation>El PIN de {code} está bloqueado por demasiados intentos fallidos. Inténtelo de nuevo en {wait} o pida ayuda a un administrador.</translation>
    </message>
    <message>
        <source>Wrong PIN. Check it and try again.</source>
        <translation>PIN incorrecto. Revíselo e inténtelo de nuevo.</translation>
    </message>
    <message>
        <source>Write the reason for the correction.</source>
        <translation>Escriba el motivo de la corrección.</translation>
    </message>
    <message>
        <source>A correction is for something that happened: choose a past time.</source>
        <translation>Una corrección es de algo que ya pasó: elija una hora pasada.</translation>
    </message>
    <message>
        <source>The {next} at {when} would no longer follow a {kind} at {at}. Change that record instead.</source>
        <translation>El registro «{next}» de las {when} ya no seguiría a «{kind}» a las {at}. Cambie ese registro en su lugar.</translation>
    </message>
    <message>
        <source>That took too long. Please start again.</source>
        <translation>Ha tardado demasiado. Vuelva a empezar, por favor.</translation>
    </message>
    <message>
        <source>That record can no longer be changed here. Ask an administrator.</source>
        <translation>Ese registro ya no se puede cambiar aquí. Avise a un administrador.</translation>
    </message>
    <message>
        <source>There is no employee with code {code}. Check the code and try again.</source>
        <translation>No hay ningún empleado con el código {code}. Revise el código e inténtelo de nuevo.</translation>
    </message>
    <message>
        <source>Employee {code} is deactivated. An administrator can reactivate them in Settings, Employees.</source>
        <translation>El empleado {code} está desactivado. Un administrador puede reactivarlo en Ajustes, Empleados.</translation>
    </message>
    <message>
        <source>An employee with code {code} already exists. Choose another code.</source>
        <translation>Ya existe un empleado con el código {code}. Elija otro código.</translation>
    </message>
    <message>
        <source>Write the employee&apos;s name.</source>
        <translation>Escriba el nombre del empleado.</translation>
    </message>
    <message>
        <source>The name can have at most {n} characters (this one has {has}).</source>
        <translation>El nombre puede tener como máximo {n} caracteres (este tiene {has}).</translation>
    </message>
    <message>
        <source>The employee code must be 1 to {n} characters, without spaces.</source>
        <translation>El código de empleado debe tener de 1 a {n} caracteres, sin espacios.</translation>
    </message>
    <message>
        <source>The PIN must be {low} to {high} digits.</source>
        <translation>El PIN debe tener de {low} a {high} cifras.</translation>
    </message>
    <message>
        <source>The PIN cannot be one digit repeated. Choose another PIN.</source>
        <translation>El PIN no puede ser una misma cifra repetida. Elija otro PIN.</translation>
    </message>
    <message>
        <source>The password needs at least {n} characters.</source>
        <translation>La contraseña necesita al menos {n} caracteres.</translation>
    </message>
    <message>
        <source>The password cannot start or end with spaces.</source>
        <translation>La contraseña no puede empezar ni terminar con espacios.</translation>
    </message>
    <message>
        <source>The password is too repetitive. Use more different characters.</source>
        <translation>La contraseña es demasiado repetitiva. Use más caracteres distintos.</translation>
    </message>
    <message>
        <source>That record is already voided.</source>
        <translation>Ese registro ya está anulado.</translation>
    </message>
    <message>
        <source>Write why the biometric data is being erased.</source>
        <translation>Escriba por qué se borran los datos biométricos.</translation>
    </message>
    <message>
        <source>There is no shift named {name}. Reload the list and try again.</source>
        <translation>No hay ningún turno llamado {name}. Recargue la lista e inténtelo de nuevo.</translation>
    </message>
    <message>
        <source>A shift named {name} already exists. Choose another name.</source>
        <translation>Ya existe un turno llamado {name}. Elija otro nombre.</translation>
    </message>
    <message>
        <source>A shift cannot start and end at the same time. Change one of them.</source>
        <translation>Un turno no puede empezar y terminar a la misma hora. Cambie una de las dos.</translation>
    </message>
    <message>
        <source>Write the shift&apos;s name (at most {n} characters).</source>
        <translation>Escriba el nombre del turno (como mucho {n} caracteres).</translation>
    </message>
    <message>
        <source>Tick at least one day for the shift.</source>
        <translation>Marque al menos un día para el turno.</translation>
    </message>
    <message>
        <source>Grace minutes are 0 to 240.</source>
        <translation>Los minutos de cortesía van de 0 a 240.</translation>
    </message>
    <message>
        <source>The assignment ends before it starts.</source>
        <translation>La asignación termina antes de empezar.</translation>
    </message>
    <message>
        <source>Could not save — the disk is full. Call an administrator.</source>
        <translation>No se pudo guardar — el disco está lleno. Llame a un administrador.</translation>
    </message>
    <message>
        <source>Could not save — the kiosk&apos;s disk cannot be written. Call an administrator.</source>
        <translation>No se pudo guardar — no se puede escribir en el disco del quiosco. Llame a un administrador.</translation>
    </message>
    <message>
        <source>Could not write {path} ({why}). Choose another folder or file name.</source>
        <translation>No se pudo escribir {path} ({why}). Elija otra carpeta u otro nombre de archivo.</translation>
    </message>
    <message>
        <source>Not possible then: the employee was not checked in at that time.</source>
        <translation>No es posible: a esa hora el empleado no había fichado la entrada.</translation>
    </message>
    <message>
        <source>Not possible then: the employee was already checked in.</source>
        <translation>No es posible: a esa hora el empleado ya había fichado la entrada.</translation>
    </message>
    <message>
        <source>Not possible then: the employee was on a break at that time.</source>
        <translation>No es posible: a esa hora el empleado estaba en una pausa.</translation>
    </message>
    <message>
        <source>That record is not possible at that time.</source>
        <translation>Ese registro no es posible a esa hora.</translation>
    </message>
    <message>
        <source>That value is not allowed. Correct it and save again.</source>
        <translation>Ese valor no está permitido. Corríjalo y vuelva a guardar.</translation>
    </message>
    <message>
        <source>The request was refused. The reason is below.</source>
        <translation>No se ha podido hacer. El motivo está debajo.</translation>
    </message>
    <message>
        <source>The file could not be read or written. Check the path and try again.</source>
        <translation>No se pudo leer o escribir el archivo. Revise la ruta e inténtelo de nuevo.</translation>
    </message>
    <message>
        <source>Something went wrong. Try again; if it keeps happening, tell the person who looks after this kiosk (the details are in the log file).</source>
        <translation>Algo ha fallado. Inténtelo de nuevo; si se repite, avise a quien se ocupa de este quiosco (los detalles están en el archivo de registro).</translation>
    </message>
    <message>
        <source>{kind} at {time}. If this is a new record, wait {wait}.</source>
        <translation>{kind} a las {time}. Si es un registro nuevo, espere {wait}.</translation>
    </message>
    <message>
        <source>Already recorded a moment ago. If this is a new check, try again in {wait}.</source>
        <translation>Ya se registró hace un momento. Si es un registro nuevo, inténtelo de nuevo en {wait}.</translation>
    </message>
    <message>
        <source>That record does not follow your last one. Choose another, or ask an administrator.</source>
        <translation>Ese registro no sigue al último suyo. Elija otro o avise a un administrador.</translation>
    </message>
    <message>
        <source>Not recorded: the kiosk&apos;s clock is behind your last record. Please tell an administrator.</source>
        <translation>No registrado: el reloj del quiosco va por detrás de su último registro. Avise a un administrador, por favor.</translation>
    </message>
    <message>
        <source>Records cannot be saved: the disk is full. Call an administrator.</source>
        <translation>No se pueden guardar los registros: el disco está lleno. Llame a un administrador.</translation>
    </message>
    <message>
        <source>Records cannot be saved: the kiosk&apos;s disk cannot be written. Call an administrator.</source>
        <translation>No se pueden guardar los registros: no se puede escribir en el disco del quiosco. Llame a un administrador.</translation>
    </message>
    <message>
        <source>Come a little closer</source>
        <translation>Acérquese un poco</translation>
    </message>
    <message>
        <source>Hold still for a moment</source>
        <translation>Quédese quieto un momento</translation>
    </message>
    <message>
        <source>Too dark: face the light</source>
        <translation>Hay poca luz: póngase de cara a la luz</translation>
    </message>
    <message>
        <source>Too bright: step out of the glare</source>
        <translation>Hay demasiada luz: apártese del reflejo</translation>
    </message>
    <message>
        <source>Look straight at the camera</source>
        <translation>Mire de frente a la cámara</translation>
    </message>
    <message>
        <source>One person at a time, please</source>
        <translation>Una persona cada vez, por favor</translation>
    </message>
    <message>
        <source>No face found: look at the camera</source>
        <translation>No se ve ninguna cara: mire a la cámara</translation>
    </message>
    <message>
        <source>This face is already enrolled for someone else</source>
        <translation>Esta cara ya está registrada para otra persona</translation>
    </message>
    <message>
        <source>This sample does not match the others: the same person only</source>
        <translation>Esta muestra no coincide con las demás: solo la misma persona</translation>
    </message>
    <message>
        <source>This face does not match the faces already enrolled for this employee</source>
        <translation>Esta cara no coincide con las ya registradas para este empleado</translation>
    </message>
    <message>
        <source>The picture could not be read</source>
        <translation>No se pudo leer la imagen</translation>
    </message>
    <message>
        <source>This looks like a photo or a screen. Face the camera yourself, or use code and PIN.</source>
        <translation>Parece una foto o una pantalla. Póngase usted ante la cámara o use código y PIN.</translation>
    </message>
    <message>
        <source>Look at the camera</source>
        <translation>Mire a la cámara</translation>
    </message>
</context>
<context>
    <name>NoCameraPanel</name>
    <message>
        <source>Choose a camera (administrators)</source>
        <translation>Elegir una cámara (administradores)</translation>
    </message>
    <message>
        <source>Record with code and PIN</source>
        <translation>Registrarse con código y PIN</translation>
    </message>
    <message>
        <source>An administrator can choose another camera in Settings (⚙ or F2), Camera.</source>
        <translation>Un administrador puede elegir otra cámara en Ajustes (⚙ o F2), Cámara.</translation>
    </message>
    <message>
        <source>The camera was lost</source>
        <translation>Se ha perdido la cámara</translation>
    </message>
    <message>
        <source>Waiting for the camera</source>
        <translation>Esperando a la cámara</translation>
    </message>
    <message>
        <source>Trying again in {s} s (attempt {n}).</source>
        <translation>Se reintenta en {s} s (intento {n}).</translation>
    </message>
    <message>
        <source>Trying again (attempt {n}).</source>
        <translation>Reintentando (intento {n}).</translation>
    </message>
    <message>
        <source>Check the camera&apos;s cable or its network connection.</source>
        <translation>Revise el cable de la cámara o su conexión de red.</translation>
    </message>
    <message>
        <source>The video has ended</source>
        <translation>El vídeo ha terminado</translation>
    </message>
    <message>
        <source>The camera source is a video file and it reached its end.</source>
        <translation>El origen de la cámara es un archivo de vídeo y ha llegado al final.</translation>
    </message>
    <message>
        <source>No camera</source>
        <translation>No hay cámara</translation>
    </message>
    <message>
        <source>The kiosk cannot open its camera. Check that it is connected and on.</source>
        <translation>El quiosco no puede abrir su cámara. Compruebe que está conectada y encendida.</translation>
    </message>
</context>
<context>
    <name>OnscreenKeyboard</name>
    <message>
        <source>Capital letters</source>
        <translation>Mayúsculas</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Borrar</translation>
    </message>
    <message>
        <source>space</source>
        <translation>espacio</translation>
    </message>
    <message>
        <source>Enter ↵</source>
        <translation>Intro ↵</translation>
    </message>
    <message>
        <source>Hide the keyboard</source>
        <translation>Ocultar el teclado</translation>
    </message>
    <message>
        <source>Letters</source>
        <translation>Letras</translation>
    </message>
    <message>
        <source>Symbols</source>
        <translation>Símbolos</translation>
    </message>
</context>
<context>
    <name>PayPeriodDialog</name>
    <message>
        <source>Pay period</source>
        <translation>Periodo de pago</translation>
    </message>
    <message>
        <source>Monthly</source>
        <translation>Mensual</translation>
    </message>
    <message>
        <source>Twice a month</source>
        <translation>Quincenal</translation>
    </message>
    <message>
        <source>Weekly</source>
        <translation>Semanal</translation>
    </message>
    <message>
        <source>&amp;Paid</source>
        <translation>&amp;Pago</translation>
    </message>
    <message>
        <source>&amp;Starts on day</source>
        <translation>&amp;Empieza el día</translation>
    </message>
    <message>
        <source>Starts &amp;on</source>
        <translation>Empieza el &amp;día</translation>
    </message>
    <message>
        <source>A week from the chosen day to the day before it.</source>
        <translation>Una semana desde el día elegido hasta la víspera de ese día.</translation>
    </message>
    <message>
        <source>From day {a} and from day {b} of each month.</source>
        <translation>Desde el día {a} y desde el día {b} de cada mes.</translation>
    </message>
    <message>
        <source>From day {day} of a month to the day before it in the next.</source>
        <translation>Desde el día {day} de un mes hasta la víspera de ese día en el siguiente.</translation>
    </message>
</context>
<context>
    <name>PhotoFilesTab</name>
    <message>
        <source>Choose one or more photos of this person, alone and facing the camera (a USB stick, a folder). Each photo is checked as a camera sample is; the good ones are saved.</source>
        <translation>Elija una o varias fotos de esta persona, sola y de frente (de una memoria USB o una carpeta). Cada foto se revisa como una muestra de la cámara; se guardan las buenas.</translation>
    </message>
    <message>
        <source>C&amp;hoose photos…</source>
        <translation>&amp;Elegir fotos…</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Detener</translation>
    </message>
    <message>
        <source>%v of %m photos</source>
        <translation>%v de %m fotos</translation>
    </message>
    <message>
        <source>Photos checked</source>
        <translation>Fotos revisadas</translation>
    </message>
    <message>
        <source>Photos of the person</source>
        <translation>Fotos de la persona</translation>
    </message>
    <message>
        <source>Photos ({patterns})</source>
        <translation>Fotos ({patterns})</translation>
    </message>
    <message>
        <source>… {name}: waiting</source>
        <translation>… {name}: en espera</translation>
    </message>
    <message>
        <source>✓ {name}: taken</source>
        <translation>✓ {name}: tomada</translation>
    </message>
    <message>
        <source>✕ {name}: {why}</source>
        <translation>✕ {name}: {why}</translation>
    </message>
    <message>
        <source>the file cannot be opened (moved, deleted, or not allowed)</source>
        <translation>no se puede abrir el archivo (movido, borrado o sin permiso)</translation>
    </message>
    <message>
        <source>the file is too large to be a photo (over 40 MB or 60 megapixels)</source>
        <translation>el archivo es demasiado grande para ser una foto (más de 40 MB o 60 megapíxeles)</translation>
    </message>
    <message>
        <source>the file is damaged or is not a picture</source>
        <translation>el archivo está dañado o no es una imagen</translation>
    </message>
    <message>
        <source>the file cannot be read</source>
        <translation>no se puede leer el archivo</translation>
    </message>
    <message numerus="yes">
        <source>%n faces in the photo; use one of the person alone</source>
        <translation>
            <numerusform>%n cara en la foto; use una de la persona sola</numerusform>
            <numerusform>%n caras en la foto; use una de la persona sola</numerusform>
        </translation>
    </message>
    <message>
        <source>this face is already enrolled as {who}</source>
        <translation>esta cara ya está registrada como {who}</translation>
    </message>
    <message>
        <source>no face found</source>
        <translation>no se encuentra ninguna cara</translation>
    </message>
    <message>
        <source>the face is too small; use a closer or larger photo</source>
        <translation>la cara es demasiado pequeña; use una foto más cercana o más grande</translation>
    </message>
    <message>
        <source>the face is blurred</source>
        <translation>la cara está borrosa</translation>
    </message>
    <message>
        <source>the face is too dark</source>
        <translation>la cara está demasiado oscura</translation>
    </message>
    <message>
        <source>the face is overexposed</source>
        <translation>la cara está sobreexpuesta</translation>
    </message>
    <message>
        <source>the face is turned away from the camera</source>
        <translation>la cara no mira a la cámara</translation>
    </message>
    <message>
        <source>this face does not match the faces already enrolled for this employee</source>
        <translation>esta cara no coincide con las ya registradas para este empleado</translation>
    </message>
    <message>
        <source>this face does not look like the other photos</source>
        <translation>esta cara no se parece a la de las otras fotos</translation>
    </message>
</context>
<context>
    <name>PinDialog</name>
    <message>
        <source>PIN for {who}</source>
        <translation>PIN de {who}</translation>
    </message>
    <message>
        <source>Remove the PIN (face only)</source>
        <translation>Quitar el PIN (solo cara)</translation>
    </message>
    <message>
        <source>New &amp;PIN</source>
        <translation>&amp;PIN nuevo</translation>
    </message>
    <message>
        <source>&amp;Repeat</source>
        <translation>&amp;Repetir</translation>
    </message>
    <message>
        <source>The PIN must be {low} to {high} digits.</source>
        <translation>El PIN debe tener de {low} a {high} cifras.</translation>
    </message>
    <message>
        <source>The two PINs differ. Type the same PIN twice.</source>
        <translation>Los dos PIN no coinciden. Escriba el mismo PIN dos veces.</translation>
    </message>
</context>
<context>
    <name>PinPad</name>
    <message>
        <source>Record with your code and PIN</source>
        <translation>Regístrese con su código y su PIN</translation>
    </message>
    <message>
        <source>Employee code</source>
        <translation>Código de empleado</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>PIN</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>Record ✓</source>
        <translation>Registrar ✓</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Comprobando…</translation>
    </message>
</context>
<context>
    <name>PunchChooser</name>
    <message>
        <source>Keep it as it is</source>
        <translation>Dejarlo como está</translation>
    </message>
    <message>
        <source>What are you recording?</source>
        <translation>¿Qué registra?</translation>
    </message>
    <message>
        <source>Recorded as {kind}. What was it?</source>
        <translation>Registrado como {kind}. ¿Qué era?</translation>
    </message>
    <message>
        <source>Nothing changes if you do not choose ({seconds} s).</source>
        <translation>Si no elige, no cambia nada ({seconds} s).</translation>
    </message>
    <message>
        <source>{kind} will be recorded in {seconds} s.</source>
        <translation>Se registrará {kind} en {seconds} s.</translation>
    </message>
</context>
<context>
    <name>QFileDialog</name>
    <message>
        <source>&amp;Look in:</source>
        <translation>&amp;Ver en:</translation>
    </message>
    <message>
        <source>Files of &amp;type:</source>
        <translation>Ficheros de &amp;tipo:</translation>
    </message>
</context>
<context>
    <name>ReasonDialog</name>
    <message>
        <source>Required: it is kept in the audit log</source>
        <translation>Obligatorio: queda en el registro de auditoría</translation>
    </message>
    <message>
        <source>&amp;Reason</source>
        <translation>&amp;Motivo</translation>
    </message>
    <message>
        <source>Write the reason (at least a few words).</source>
        <translation>Escriba el motivo (al menos unas palabras).</translation>
    </message>
    <message>
        <source>Tick the box to confirm.</source>
        <translation>Marque la casilla para confirmar.</translation>
    </message>
</context>
<context>
    <name>RecognitionPage</name>
    <message>
        <source>Changes apply at once; a different model or detector is loaded in the background while the kiosk keeps accepting PINs.</source>
        <translation>Los cambios se aplican al momento; otro modelo o detector se carga en segundo plano mientras el quiosco sigue aceptando PIN.</translation>
    </message>
    <message>
        <source>{name} (needs the dlib extra)</source>
        <translation>{name} (necesita el extra dlib)</translation>
    </message>
    <message>
        <source>{name} (needs its weights)</source>
        <translation>{name} (necesita sus pesos)</translation>
    </message>
    <message>
        <source>Lower is stricter: fewer mistaken matches, more people asked to retry.</source>
        <translation>Más bajo es más estricto: menos confusiones y más personas a las que se pide repetir.</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>Desactivada</translation>
    </message>
    <message>
        <source>Ask for a blink</source>
        <translation>Pedir un parpadeo</translation>
    </message>
    <message>
        <source>Refuse photos and screens (passive)</source>
        <translation>Rechazar fotos y pantallas (pasiva)</translation>
    </message>
    <message>
        <source>Both: passive and a blink</source>
        <translation>Ambas: pasiva y un parpadeo</translation>
    </message>
    <message>
        <source>Strict</source>
        <translation>Estricto</translation>
    </message>
    <message>
        <source>Normal (recommended)</source>
        <translation>Normal (recomendado)</translation>
    </message>
    <message>
        <source>Lenient</source>
        <translation>Permisivo</translation>
    </message>
    <message>
        <source>Custom (see Advanced)</source>
        <translation>Personalizado (ver Avanzado)</translation>
    </message>
    <message>
        <source>Sure of every match: more pictures must agree and the face must be closer to the enrolled one. Some people may be asked to try again.</source>
        <translation>Seguro en cada coincidencia: deben coincidir más imágenes y la cara debe parecerse más a la registrada. A algunas personas se les puede pedir que lo intenten de nuevo.</translation>
    </message>
    <message>
        <source>The balance calibrated for this model: no mistaken match in its tests.</source>
        <translation>El equilibrio calibrado para este modelo: ninguna coincidencia errónea en sus pruebas.</translation>
    </message>
    <message>
        <source>Quicker, fewer people asked to retry; two people who look alike may be taken for each other.</source>
        <translation>Más rápido, se pide repetir a menos personas; dos personas parecidas pueden confundirse.</translation>
    </message>
    <message>
        <source>The numbers under Advanced were set by hand.</source>
        <translation>Los valores de Avanzado se ajustaron a mano.</translation>
    </message>
    <message>
        <source>Advanced settings ▾</source>
        <translation>Ajustes avanzados ▾</translation>
    </message>
    <message>
        <source>Higher: more photos and screens refused, more real people asked to retry.</source>
        <translation>Más alto: más fotos y pantallas rechazadas, más personas reales que repiten.</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Guardar</translation>
    </message>
    <message>
        <source>&amp;Undo changes</source>
        <translation>&amp;Deshacer cambios</translation>
    </message>
    <message>
        <source>How &amp;sure before recording</source>
        <translation>&amp;Seguridad antes de registrar</translation>
    </message>
    <message>
        <source>Advanced settings ▸</source>
        <translation>Ajustes avanzados ▸</translation>
    </message>
    <message>
        <source>Advanced: the raw numbers</source>
        <translation>Avanzado: los valores numéricos</translation>
    </message>
    <message>
        <source>&amp;Model</source>
        <translation>&amp;Modelo</translation>
    </message>
    <message>
        <source>&amp;Detector</source>
        <translation>De&amp;tector</translation>
    </message>
    <message>
        <source>Match &amp;threshold</source>
        <translation>&amp;Umbral de coincidencia</translation>
    </message>
    <message>
        <source>&amp;Frames that must agree</source>
        <translation>&amp;Fotogramas que deben coincidir</translation>
    </message>
    <message>
        <source>&amp;Liveness</source>
        <translation>Prueba de &amp;vida</translation>
    </message>
    <message>
        <source>&amp;Photo and screen threshold</source>
        <translation>Umb&amp;ral de fotos y pantallas</translation>
    </message>
    <message>
        <source>&amp;Cooldown for the same person</source>
        <translation>&amp;Espera para la misma persona</translation>
    </message>
    <message>
        <source>Smallest &amp;face</source>
        <translation>Cara más &amp;pequeña</translation>
    </message>
    <message>
        <source>Recognition</source>
        <translation>Reconocimiento</translation>
    </message>
    <message>
        <source>Calibrated value ({value})</source>
        <translation>Valor calibrado ({value})</translation>
    </message>
    <message>
        <source>Calibrated value</source>
        <translation>Valor calibrado</translation>
    </message>
</context>
<context>
    <name>ResultCard</name>
    <message>
        <source>Not right? Change</source>
        <translation>¿No es correcto? Cambiar</translation>
    </message>
    <message>
        <source>Recorded with PIN</source>
        <translation>Registrado con PIN</translation>
    </message>
    <message>
        <source>Recorded manually</source>
        <translation>Registrado a mano</translation>
    </message>
    <message>
        <source>Late by {time}</source>
        <translation>Llega {time} tarde</translation>
    </message>
    <message>
        <source>Leaving {time} before the end of the shift</source>
        <translation>Salida {time} antes del final del turno</translation>
    </message>
    <message>
        <source>Not recorded</source>
        <translation>No registrado</translation>
    </message>
    <message>
        <source>Already recorded</source>
        <translation>Ya registrado</translation>
    </message>
    <message>
        <source>Not saved</source>
        <translation>No guardado</translation>
    </message>
</context>
<context>
    <name>ShiftDialog</name>
    <message>
        <source>Edit shift</source>
        <translation>Editar turno</translation>
    </message>
    <message>
        <source>New shift</source>
        <translation>Nuevo turno</translation>
    </message>
    <message>
        <source>In use</source>
        <translation>En uso</translation>
    </message>
    <message>
        <source>&amp;Name</source>
        <translation>&amp;Nombre</translation>
    </message>
    <message>
        <source>&amp;Starts</source>
        <translation>&amp;Empieza</translation>
    </message>
    <message>
        <source>&amp;Ends</source>
        <translation>&amp;Termina</translation>
    </message>
    <message>
        <source>An end before the start crosses midnight (a night shift).</source>
        <translation>Si termina antes de empezar, cruza la medianoche (turno de noche).</translation>
    </message>
    <message>
        <source>Starts on</source>
        <translation>Empieza los</translation>
    </message>
    <message>
        <source>&amp;Grace for late arrival</source>
        <translation>&amp;Cortesía para la llegada</translation>
    </message>
    <message>
        <source>Grace for early &amp;leave</source>
        <translation>Cortesía para la &amp;salida</translation>
    </message>
    <message>
        <source>Write the shift&apos;s name.</source>
        <translation>Escriba el nombre del turno.</translation>
    </message>
    <message>
        <source>A shift cannot start and end at the same time.</source>
        <translation>Un turno no puede empezar y terminar a la misma hora.</translation>
    </message>
    <message>
        <source>Tick at least one day.</source>
        <translation>Marque al menos un día.</translation>
    </message>
</context>
<context>
    <name>ShiftStep</name>
    <message>
        <source>The first shift</source>
        <translation>El primer turno</translation>
    </message>
    <message>
        <source>e.g. Warehouse mornings</source>
        <translation>p. ej. Almacén mañanas</translation>
    </message>
    <message>
        <source>&amp;Name</source>
        <translation>&amp;Nombre</translation>
    </message>
    <message>
        <source>&amp;Starts</source>
        <translation>&amp;Empieza</translation>
    </message>
    <message>
        <source>&amp;Ends</source>
        <translation>&amp;Termina</translation>
    </message>
    <message>
        <source>Days</source>
        <translation>Días</translation>
    </message>
    <message>
        <source>An end before the start crosses midnight (a night shift).</source>
        <translation>Un final antes del inicio cruza la medianoche (un turno de noche).</translation>
    </message>
    <message>
        <source>When people are expected, to tell who arrives late. The usual ones are there already ({names}); add yours, or skip this and do it later in Settings, Shifts.</source>
        <translation>Cuándo se espera a la gente, para saber quién llega tarde. Los habituales ya están ({names}); añada el suyo, u omita este paso y hágalo más tarde en Ajustes, Turnos.</translation>
    </message>
    <message>
        <source>Write the shift&apos;s name, or press Skip.</source>
        <translation>Escriba el nombre del turno, o pulse Omitir.</translation>
    </message>
    <message>
        <source>A shift cannot start and end at the same time.</source>
        <translation>Un turno no puede empezar y terminar a la misma hora.</translation>
    </message>
    <message>
        <source>Tick at least one day.</source>
        <translation>Marque al menos un día.</translation>
    </message>
</context>
<context>
    <name>ShiftsPage</name>
    <message>
        <source>A shift&apos;s start decides lateness (after its grace minutes); a shift that ends before it starts crosses midnight and belongs to the day it starts.</source>
        <translation>El inicio del turno decide los retrasos (pasados sus minutos de cortesía); un turno que termina antes de empezar cruza la medianoche y pertenece al día en que empieza.</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nombre</translation>
    </message>
    <message>
        <source>Starts</source>
        <translation>Empieza</translation>
    </message>
    <message>
        <source>Ends</source>
        <translation>Termina</translation>
    </message>
    <message>
        <source>Days</source>
        <translation>Días</translation>
    </message>
    <message>
        <source>Grace</source>
        <translation>Cortesía</translation>
    </message>
    <message>
        <source>Employees</source>
        <translation>Empleados</translation>
    </message>
    <message>
        <source>&amp;New shift…</source>
        <translation>&amp;Nuevo turno…</translation>
    </message>
    <message>
        <source>&amp;Edit…</source>
        <translation>&amp;Editar…</translation>
    </message>
    <message>
        <source>Employees in this shift</source>
        <translation>Empleados de este turno</translation>
    </message>
    <message>
        <source>Employee to assign</source>
        <translation>Empleado que se asigna</translation>
    </message>
    <message>
        <source>&amp;Assign to this shift</source>
        <translation>&amp;Asignar a este turno</translation>
    </message>
    <message>
        <source>&amp;Remove from this shift</source>
        <translation>&amp;Quitar de este turno</translation>
    </message>
    <message>
        <source>Employees in the selected shift</source>
        <translation>Empleados del turno elegido</translation>
    </message>
    <message>
        <source>Shifts</source>
        <translation>Turnos</translation>
    </message>
    <message>
        <source> (not in use)</source>
        <translation> (sin uso)</translation>
    </message>
    <message>
        <source>every day</source>
        <translation>todos los días</translation>
    </message>
    <message>
        <source>Employees in {name}</source>
        <translation>Empleados de {name}</translation>
    </message>
    <message>
        <source>Shift {name} saved.</source>
        <translation>Turno {name} guardado.</translation>
    </message>
    <message>
        <source>{code} assigned to {name}.</source>
        <translation>{code} asignado a {name}.</translation>
    </message>
    <message>
        <source>{code} removed from {name}.</source>
        <translation>{code} quitado de {name}.</translation>
    </message>
</context>
<context>
    <name>StatusStrip</name>
    <message>
        <source>Settings (administrators) — F2</source>
        <translation>Ajustes (administradores) — F2</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Ajustes</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>Sincronización</translation>
    </message>
    <message>
        <source>dddd, MMMM d</source>
        <translation>dddd, d &apos;de&apos; MMMM</translation>
    </message>
    <message>
        <source>Recognition</source>
        <translation>Reconocimiento</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Cargando…</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>Listo</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Error</translation>
    </message>
    <message>
        <source>Camera</source>
        <translation>Cámara</translation>
    </message>
    <message>
        <source>On</source>
        <translation>Activa</translation>
    </message>
    <message>
        <source>Opening…</source>
        <translation>Abriendo…</translation>
    </message>
    <message>
        <source>attempt {n}</source>
        <translation>intento {n}</translation>
    </message>
    <message>
        <source>Reconnecting</source>
        <translation>Reconectando</translation>
    </message>
    <message>
        <source>Not configured</source>
        <translation>No configurada</translation>
    </message>
    <message numerus="yes">
        <source>%n waiting</source>
        <translation>
            <numerusform>%n pendiente</numerusform>
            <numerusform>%n pendientes</numerusform>
        </translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Sin conexión</translation>
    </message>
    <message>
        <source>Up to date</source>
        <translation>Al día</translation>
    </message>
    <message>
        <source>{seconds} s</source>
        <translation>{seconds} s</translation>
    </message>
    <message>
        <source>{fps} frames/s</source>
        <translation>{fps} imágenes/s</translation>
    </message>
    <message>
        <source>No camera</source>
        <translation>Sin cámara</translation>
    </message>
    <message>
        <source>local only</source>
        <translation>solo en local</translation>
    </message>
    <message>
        <source>last {time}</source>
        <translation>última {time}</translation>
    </message>
    <message>
        <source>never synced</source>
        <translation>nunca sincronizada</translation>
    </message>
</context>
<context>
    <name>SyncPage</name>
    <message>
        <source>Status</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>Central database</source>
        <translation>Base de datos central</translation>
    </message>
    <message>
        <source>Records waiting</source>
        <translation>Registros pendientes</translation>
    </message>
    <message>
        <source>Last sync</source>
        <translation>Última sincronización</translation>
    </message>
    <message>
        <source>Last problem</source>
        <translation>Último problema</translation>
    </message>
    <message>
        <source>Site</source>
        <translation>Sede</translation>
    </message>
    <message>
        <source>Central database address</source>
        <translation>Dirección de la base de datos central</translation>
    </message>
    <message>
        <source>&amp;Save address</source>
        <translation>&amp;Guardar dirección</translation>
    </message>
    <message>
        <source>&amp;Remove address</source>
        <translation>&amp;Quitar dirección</translation>
    </message>
    <message>
        <source>&amp;Test connection</source>
        <translation>&amp;Probar la conexión</translation>
    </message>
    <message>
        <source>Sync &amp;now</source>
        <translation>Sincronizar &amp;ahora</translation>
    </message>
    <message>
        <source>Join a central database</source>
        <translation>Unirse a una base de datos central</translation>
    </message>
    <message>
        <source>In use</source>
        <translation>En uso</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>Puerto</translation>
    </message>
    <message>
        <source>&amp;Server</source>
        <translation>&amp;Servidor</translation>
    </message>
    <message>
        <source>Data&amp;base</source>
        <translation>&amp;Base de datos</translation>
    </message>
    <message>
        <source>&amp;User</source>
        <translation>&amp;Usuario</translation>
    </message>
    <message>
        <source>Pass&amp;word</source>
        <translation>Con&amp;traseña</translation>
    </message>
    <message>
        <source>Encryption</source>
        <translation>Cifrado</translation>
    </message>
    <message>
        <source>Advanced settings ▸</source>
        <translation>Ajustes avanzados ▸</translation>
    </message>
    <message>
        <source>Advanced: the address as a URL</source>
        <translation>Avanzado: la dirección como URL</translation>
    </message>
    <message>
        <source>New &amp;address</source>
        <translation>&amp;Dirección nueva</translation>
    </message>
    <message>
        <source>For what the fields above cannot say, e.g. ?sslmode=verify-full&amp;sslrootcert=… When filled, it is saved instead of the fields.</source>
        <translation>Para lo que los campos de arriba no pueden expresar, p. ej. ?sslmode=verify-full&amp;sslrootcert=… Si se rellena, se guarda en lugar de los campos.</translation>
    </message>
    <message>
        <source>e.g. db.example.com</source>
        <translation>p. ej. db.example.com</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Servidor</translation>
    </message>
    <message>
        <source>unchanged when left empty</source>
        <translation>sin cambios si se deja vacía</translation>
    </message>
    <message>
        <source>Encrypt the connection (TLS)</source>
        <translation>Cifrar la conexión (TLS)</translation>
    </message>
    <message>
        <source>Advanced settings ▾</source>
        <translation>Ajustes avanzados ▾</translation>
    </message>
    <message>
        <source>Write the server&apos;s name or IP address.</source>
        <translation>Escriba el nombre o la dirección IP del servidor.</translation>
    </message>
    <message>
        <source>The server is a name or an IP address, without spaces, /, ?, # or @.</source>
        <translation>El servidor es un nombre o una dirección IP, sin espacios, /, ?, # ni @.</translation>
    </message>
    <message>
        <source>The port is a number from 1 to 65535.</source>
        <translation>El puerto es un número de 1 a 65535.</translation>
    </message>
    <message>
        <source>Write the database&apos;s name.</source>
        <translation>Escriba el nombre de la base de datos.</translation>
    </message>
    <message>
        <source>Write the user name the kiosk connects as.</source>
        <translation>Escriba el usuario con el que se conecta el quiosco.</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>Sincronización</translation>
    </message>
    <message>
        <source>Save the central database&apos;s address first.</source>
        <translation>Guarde antes la dirección de la base de datos central.</translation>
    </message>
    <message>
        <source>Start a sync now instead of waiting for the next one.</source>
        <translation>Sincronizar ahora en lugar de esperar a la próxima vez.</translation>
    </message>
    <message>
        <source>Sync started; the status above follows it.</source>
        <translation>Sincronización iniciada; el estado de arriba la sigue.</translation>
    </message>
    <message>
        <source>not configured</source>
        <translation>no configurada</translation>
    </message>
    <message>
        <source>Not configured: records stay on this kiosk until an address is saved.</source>
        <translation>No configurada: los registros se quedan en este quiosco hasta que se guarde una dirección.</translation>
    </message>
    <message>
        <source>Configured</source>
        <translation>Configurada</translation>
    </message>
    <message>
        <source>never</source>
        <translation>nunca</translation>
    </message>
    <message>
        <source>none</source>
        <translation>ninguno</translation>
    </message>
    <message>
        <source>none: this kiosk works alone</source>
        <translation>ninguna: este quiosco trabaja solo</translation>
    </message>
    <message>
        <source>not known yet: the next sync asks the central database</source>
        <translation>aún no se sabe: la próxima sincronización lo pregunta a la base de datos central</translation>
    </message>
    <message>
        <source>none: this kiosk receives every employee</source>
        <translation>ninguna: este quiosco recibe a todos los empleados</translation>
    </message>
    <message>
        <source>{name} ({code}), set in the central database: this kiosk receives only the site&apos;s employees ({count} here)</source>
        <translation>{name} ({code}), asignada en la base de datos central: este quiosco recibe solo a los empleados de la sede ({count} aquí)</translation>
    </message>
    <message>
        <source>Write an address first.</source>
        <translation>Escriba antes una dirección.</translation>
    </message>
    <message>
        <source>The address must start with postgresql://, e.g. {example}</source>
        <translation>La dirección debe empezar por postgresql://, por ejemplo {example}</translation>
    </message>
    <message>
        <source>Connecting… (at most {s} s)</source>
        <translation>Conectando… (como mucho {s} s)</translation>
    </message>
    <message>
        <source>Connected: {version}</source>
        <translation>Conectado: {version}</translation>
    </message>
    <message>
        <source>Could not connect. Check the address, the password and that the server accepts this kiosk; the details are below.</source>
        <translation>No se pudo conectar. Revise la dirección, la contraseña y que el servidor acepte este quiosco; los detalles están debajo.</translation>
    </message>
</context>
<context>
    <name>ZoneStep</name>
    <message>
        <source>Time zone</source>
        <translation>Zona horaria</translation>
    </message>
    <message>
        <source>Every record is kept in this zone&apos;s local time. This computer says {zone}; type part of a city to find another.</source>
        <translation>Cada registro se guarda en la hora local de esta zona. Este ordenador indica {zone}; escriba parte de una ciudad para buscar otra.</translation>
    </message>
    <message>
        <source>Search, e.g. Madrid, Bogota, Mexico City</source>
        <translation>Buscar, p. ej. Madrid, Bogota, Mexico City</translation>
    </message>
    <message>
        <source>Search a time zone</source>
        <translation>Buscar una zona horaria</translation>
    </message>
    <message>
        <source>Time zones</source>
        <translation>Zonas horarias</translation>
    </message>
    <message>
        <source>Chosen: {zone}</source>
        <translation>Elegida: {zone}</translation>
    </message>
    <message>
        <source>No zone chosen: pick one in the list.</source>
        <translation>Ninguna zona elegida: elija una de la lista.</translation>
    </message>
    <message>
        <source>Choose a time zone in the list (type part of a city to find it).</source>
        <translation>Elija una zona horaria de la lista (escriba parte de una ciudad para encontrarla).</translation>
    </message>
</context>
</TS>
