/*
 * The offline explorer's boot script: GraphiQL (window.GraphiQL, with React and ReactDOM, all served by
 * this service) posting to the service's /graphql with the API key typed into the page's field.
 * Loaded as a file: the page's CSP allows no inline script.
 */
(function () {
  'use strict';

  var KEY_ITEM = 'caller-memory:explorer:api-key';
  // A key is printable ASCII without spaces; anything else could not travel in a header (fetch would throw).
  var KEY_SHAPE = /^[\x21-\x7e]{1,512}$/;

  var settings = JSON.parse(document.getElementById('explorer-settings').textContent);
  var form = document.getElementById('key-form');
  var field = document.getElementById('api-key');
  var forget = document.getElementById('forget-key');
  var status = document.getElementById('key-status');
  var root = ReactDOM.createRoot(document.getElementById('graphiql'));

  // sessionStorage (this tab only), never localStorage; a browser that refuses storage just forgets.
  function store(key) {
    try {
      if (key) sessionStorage.setItem(KEY_ITEM, key);
      else sessionStorage.removeItem(KEY_ITEM);
    } catch { /* storage refused: the key lives until the page closes */ }
  }
  function storedKey() {
    try { return sessionStorage.getItem(KEY_ITEM) || ''; } catch { return ''; }
  }
  function editorStorage() {
    try { return window.sessionStorage; } catch { return null; }
  }

  function say(message, isError) {
    status.textContent = message;
    status.classList.toggle('error', Boolean(isError));
  }

  // A new fetcher per key: GraphiQL fetches the schema again whenever its fetcher changes.
  function render(key) {
    var fetcher = GraphiQL.createFetcher({
      url: settings.endpoint,
      headers: key ? { Authorization: 'Bearer ' + key } : {},
      enableIncrementalDelivery: false,
    });
    root.render(React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: settings.defaultQuery,
      storage: editorStorage(),
      // null: ask for no schema (no key yet, or introspection off) instead of showing a failed fetch.
      schema: key && settings.introspection ? undefined : null,
      defaultEditorToolsVisibility: false,
      // The service's pages are light only; explorer.css tunes GraphiQL's light colours for contrast.
      forcedTheme: 'light',
    }));
  }

  function apply(key) {
    if (key && !KEY_SHAPE.test(key)) {
      say('That is not an API key: keys are one word of letters, digits and _ (sk_test_…).', true);
      return;
    }
    store(key);
    render(key);
    say(key ? 'Key set for this tab. Run an operation with the run button or Ctrl+Enter.' : 'No key: operations will be refused.', false);
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    apply(field.value.trim());
  });
  forget.addEventListener('click', function () {
    field.value = '';
    apply('');
    field.focus();
  });

  // GraphiQL's editors are CodeMirror 5 instances (the wrapper's `CodeMirror` property, CodeMirror's API).
  // Out of the box their input has no accessible name, and Tab indents, so a keyboard user who tabs into
  // the query editor can never tab out to the run button. Each editor gets a name, and Tab and Shift+Tab
  // move focus as in any text field (Enter still indents; Shift+Ctrl+P tidies the query).
  var seen = new WeakSet();
  function editorName(wrapper) {
    if (wrapper.closest('.graphiql-query-editor')) return 'Query editor';
    if (wrapper.closest('.graphiql-response')) return 'Response';
    var tools = wrapper.closest('.graphiql-editor-tool');
    if (!tools) return 'Editor';
    // GraphiQL renders the variables editor first, then the headers editor.
    return tools.querySelector('.CodeMirror') === wrapper ? 'Variables editor' : 'Headers editor';
  }
  function tuneEditors() {
    var wrappers = document.querySelectorAll('#graphiql .CodeMirror');
    for (var i = 0; i < wrappers.length; i++) {
      var cm = wrappers[i].CodeMirror;
      if (!cm || seen.has(cm)) continue;
      seen.add(cm);
      cm.setOption('screenReaderLabel', editorName(wrappers[i]));
      cm.setOption('extraKeys', Object.assign({}, cm.getOption('extraKeys'), { Tab: false, 'Shift-Tab': false }));
    }
  }
  var tunePending = false;
  new MutationObserver(function () {
    if (tunePending) return;
    tunePending = true;
    requestAnimationFrame(function () { tunePending = false; tuneEditors(); });
  }).observe(document.getElementById('graphiql'), { childList: true, subtree: true });

  var initial = storedKey();
  field.value = initial;
  render(KEY_SHAPE.test(initial) ? initial : '');
  if (initial) say('Key restored for this tab.', false);
})();
