"""One APIRouter per resource; api/app.py includes them."""
