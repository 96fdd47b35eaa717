; YAML has no import statement; anchors and aliases stay within one document.
