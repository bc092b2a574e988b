// GOV.UK Frontend's "js-enabled" classes, set before the page is drawn. Its template has
// this inline; the page's Content-Security-Policy allows no inline script, so it is a file.
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
