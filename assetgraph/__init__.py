"""assetgraph: a GraphQL API server for a library of AI-generated media."""
