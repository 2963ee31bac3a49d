"""Catalog: the products a koperasi shop sells."""
