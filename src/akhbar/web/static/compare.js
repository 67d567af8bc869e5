// Compare view: pointing at a shared passage lights up the same passage in the other text.
(function () {
  "use strict";
  var marks = document.querySelectorAll("mark.shared");
  function light(passage, on) {
    document.querySelectorAll('mark.shared[data-passage="' + passage + '"]').forEach(function (m) {
      m.classList.toggle("lit", on);
    });
  }
  marks.forEach(function (m) {
    m.addEventListener("mouseenter", function () { light(m.dataset.passage, true); });
    m.addEventListener("mouseleave", function () { light(m.dataset.passage, false); });
  });
}());
