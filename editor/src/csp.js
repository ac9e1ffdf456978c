// CodeMirror writes a few style attributes with setAttribute (tab-size on .cm-content), which MGKG's
// Content Security Policy (style-src 'self', no 'unsafe-inline') refuses. The same declarations set
// through the CSSOM are allowed, so on this page a style attribute is written that way.
const setAttribute = Element.prototype.setAttribute;

Element.prototype.setAttribute = function (name, value) {
  if (name === "style" && this.style) {
    this.style.cssText = value;
    return;
  }
  setAttribute.call(this, name, value);
};
