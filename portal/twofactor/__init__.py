"""Two-factor sign-in (issue 17 item 3): a second step after the password for every official, with django-otp.

- ``policy``: who must pass it (the roles that approve, file, issue, revoke or administer), whether a session has.
- ``services``: enrolment of an authenticator (TOTP), recovery codes, checking a code, the demo device.
- ``signin``: the second step as part of signing in — the same lockout as the password (django-axes), the audit.
- ``middleware``: until the step is passed, every page (the admin too) sends the official to it.
"""
