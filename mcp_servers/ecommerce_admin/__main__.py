"""`python -m mcp_servers.ecommerce_admin`: the admin server over stdio."""

from mcp_servers.ecommerce_admin.server import server

if __name__ == "__main__":
    server.run()
