"""The Banyuwangi demo: content written for this project (no real people or businesses)."""
