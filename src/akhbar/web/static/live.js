// Live story list: poll /api/stories and show new or grown stories without a reload.
// Text is set with textContent only, so article text can never become markup.
(function () {
  "use strict";
  var list = document.getElementById("stories");
  if (!list || list.dataset.live !== "on") { return; }
  var limit = Number(list.dataset.limit) || 30;
  var known = {};
  Array.prototype.forEach.call(list.querySelectorAll(".story-card"), function (li) {
    known[li.dataset.id] = li.querySelector(".count").textContent;
  });

  function when(value) {
    if (!value) { return "—"; }
    return value.length > 10 ? value.slice(0, 16).replace("T", " ") : value;
  }

  function card(story) {
    var li = document.createElement("li");
    li.className = "story-card";
    li.dataset.id = story.id;
    var a = document.createElement("a");
    a.className = "headline";
    a.href = "/stories/" + encodeURIComponent(story.id);
    a.textContent = story.headline || "(بلا عنوان)";
    var meta = document.createElement("div");
    meta.className = "meta";
    var count = document.createElement("span");
    count.className = "count";
    count.textContent = story.articles + (story.articles === 1 ? " مقال" : " مقالات");
    var outlets = document.createElement("span");
    outlets.className = "outlets";
    story.outlets.forEach(function (o) {
      var chip = document.createElement("a");
      chip.className = "chip outlet";
      chip.href = "/?outlet=" + encodeURIComponent(o);
      chip.textContent = o;
      outlets.appendChild(chip);
    });
    var time = document.createElement("time");
    time.textContent = when(story.last);
    meta.append(count, outlets, time);
    li.append(a, meta);
    return li;
  }

  function refresh() {
    fetch("/api/stories?limit=" + limit, { headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (page) {
        if (!page) { return; }
        var items = page.items.map(function (story) {
          var li = card(story);
          var count = li.querySelector(".count").textContent;
          if (known[story.id] !== count) { li.classList.add("fresh"); }
          known[story.id] = count;
          return li;
        });
        if (items.length) { list.replaceChildren.apply(list, items); }
      })
      .catch(function () { /* the server may be restarting: try again next time */ });
  }

  window.setInterval(refresh, 4000);
}());
