"""`python -m mcp_servers.ecommerce_storefront`: the storefront server over stdio."""

from mcp_servers.ecommerce_storefront.server import server

if __name__ == "__main__":
    server.run()
