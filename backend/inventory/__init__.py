"""Inventory: stock movements of a koperasi's shop products and the stock they add up to."""
