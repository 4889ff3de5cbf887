"""The Streamlit app's pages (one module per page, each with `render()`) and shared resources."""
