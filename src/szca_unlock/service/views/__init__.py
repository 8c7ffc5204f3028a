"""Every user-visible projection of the service and its Chinese copy, in one place.

A view takes what the logic returned (rows, results) and builds the typed context a
user sees: the wire models of ``szca_unlock.api``. The JSON routes answer that context as
is; a page renders the very same context, so a rule or a sentence lives once. Routers
only parse, call the logic, then call a view; the logic never imports a view.

One module per area: ``auth``, ``guide``, ``orders``, ``organisation``, ``verification``,
``unlock``, ``manual`` (the applicant's manual-review pages), ``staff`` (the reviewer's).
"""
