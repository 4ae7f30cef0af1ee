"""What every part of the directory uses: errors, the API object, pagination, permissions."""
