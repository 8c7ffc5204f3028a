"""Documents for manual review: application form PDF, uploads, regions, letters, reasons.

Pure library modules; the service calls them, they never touch HTTP or the database.
"""
