"""One ninja Router per resource; `portolan.api.api` mounts them under /api/v1/."""
