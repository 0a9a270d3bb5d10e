// htmx settings for a page served under a strict Content-Security-Policy. Loaded (deferred)
// after htmx itself, so it runs before htmx reads its configuration on DOMContentLoaded.
(function () {
  "use strict";
  if (!window.htmx) {
    return;
  }
  var config = window.htmx.config;
  // htmx would add a <style> element for its indicators; CSP refuses inline styles, and
  // site.css carries the indicator rules instead.
  config.includeIndicatorStyles = false;
  // Never eval attribute code (hx-on, hx-vars, js: values) and never run a <script> that a
  // swapped-in fragment carries: CSP forbids both, and no page of ours relies on either.
  config.allowEval = false;
  config.allowScriptTags = false;
  // Requests only to this site, and no copy of pages (which may show private data) kept in
  // localStorage for the back button.
  config.selfRequestsOnly = true;
  config.historyCacheSize = 0;
  config.refreshOnHistoryMiss = true;
})();
