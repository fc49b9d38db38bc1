const TOKEN_KEY = "assetgraph.token";
const tokenInput = document.getElementById("token");
const container = document.getElementById("graphiql");
tokenInput.value = localStorage.getItem(TOKEN_KEY) || "";

const fetcher = GraphiQL.createFetcher({
  url: container.dataset.endpoint,
  // Read the token on every request; an Authorization set in the headers editor wins.
  fetch: (input, init = {}) => {
    const headers = new Headers(init.headers);
    const token = tokenInput.value.trim();
    if (token && !headers.has("Authorization")) headers.set("Authorization", "Bearer " + token);
    return fetch(input, { ...init, headers });
  },
});

const root = ReactDOM.createRoot(container);
// Keyed on the token so that changing it remounts GraphiQL, which re-runs schema introspection
// (the first attempt fails without a token). Editor tabs survive: GraphiQL keeps them in localStorage.
const render = () => root.render(React.createElement(GraphiQL, {
  key: tokenInput.value.trim(),
  fetcher,
  defaultEditorToolsVisibility: true,
}));
tokenInput.addEventListener("change", () => {
  localStorage.setItem(TOKEN_KEY, tokenInput.value.trim());
  render();
});
render();
