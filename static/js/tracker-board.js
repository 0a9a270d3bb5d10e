// The tracker board's drag and drop: SortableJS moves the card, then the move is posted to the
// card's own Move form address. Without JavaScript (or SortableJS) the Move forms do the same.
(function () {
  "use strict";

  function init() {
    var lists = document.querySelectorAll(".tracker-column-list");
    var status = document.getElementById("board-status");
    if (!window.Sortable || !lists.length) {
      return;
    }

    function say(text) {
      if (status) {
        status.textContent = text;
      }
    }

    function recount() {
      lists.forEach(function (list) {
        var badge = document.querySelector('[data-count-for="' + list.dataset.stage + '"]');
        if (badge && badge.dataset.initial === undefined) {
          badge.dataset.initial = badge.textContent;
          badge.dataset.shown = String(list.children.length);
        }
        if (badge) {
          // Columns show their newest cards only: keep the hidden ones in the count.
          var hidden = Number(badge.dataset.initial) - Number(badge.dataset.shown);
          badge.textContent = String(hidden + list.children.length);
        }
      });
    }

    function move(card, from, to, oldIndex) {
      var form = card.querySelector("form.tracker-move");
      var token = form.querySelector('input[name="csrfmiddlewaretoken"]').value;
      var body = new URLSearchParams();
      body.set("stage", to.dataset.stage);
      card.setAttribute("aria-busy", "true");
      fetch(card.dataset.moveUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": token, "X-Tracker-Move": "1" },
        body: body,
      })
        .then(function (response) {
          if (!response.ok) {
            throw new Error(String(response.status));
          }
          form.querySelector("select").value = to.dataset.stage;
          recount();
          var title = card.querySelector(".tracker-card-title").textContent.trim();
          say(title + " moved to " + to.getAttribute("aria-label") + ".");
        })
        .catch(function () {
          // Put the card back where it was: the server did not take the move.
          from.insertBefore(card, from.children[oldIndex] || null);
          recount();
          say("That move did not go through; try again, or use the Move button.");
        })
        .finally(function () {
          card.removeAttribute("aria-busy");
        });
    }

    recount();
    lists.forEach(function (list) {
      window.Sortable.create(list, {
        group: "tracker",
        animation: 150,
        draggable: ".tracker-card",
        filter: "select, button, input, a",
        preventOnFilter: false,
        onAdd: function (event) {
          move(event.item, event.from, event.to, event.oldIndex);
        },
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
