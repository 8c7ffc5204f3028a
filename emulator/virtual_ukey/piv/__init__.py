"""The PIV card application (NIST SP 800-73-4) beside the CA's own application."""
