"""The people a deployment knows: employees (and their faces), administrator accounts, and the
one rule for names and identifiers."""
