"""Stored files served by the permission-checked download views."""

from django.http import Http404


def open_stored(field_file):
    """The stored file opened for reading, or a 404 (French) when the row points to a file missing on disk
    (restored database without its media, file removed by hand): never a 500."""
    if not field_file:
        raise Http404("Aucun fichier n'est joint.")
    try:
        return field_file.open("rb")
    except (FileNotFoundError, IsADirectoryError, PermissionError):
        raise Http404("Le fichier est introuvable sur le serveur : signalez-le à l'administrateur.") from None
