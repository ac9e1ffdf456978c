// Sorting a class table in the page, as the server sorts it for ?sort= (pages/tables.py, class_table):
// by the cells' data-sort values (numbers in .num columns), rows without a value last, ties by label.
// A heading's link sorts without a reload and keeps ?sort= in the address; in the static mirror, where no
// server reads ?sort=, the table is sorted on load from the address.
"use strict";
(function () {
  var table = document.querySelector("table[data-sortable]");
  if (!table) return;
  var body = table.tBodies[0];
  var headings = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var keys = headings.map(function (th) { return th.querySelector("a").dataset.column; });

  function cell(row, index) { return row.cells[index].dataset.sort; }

  function sortBy(sort) {
    var key = sort.replace(/^-/, ""), index = keys.indexOf(key), descending = sort.charAt(0) === "-";
    if (index < 0) return;
    var numeric = headings[index].classList.contains("num"), label = keys.indexOf("label");
    var rows = Array.prototype.slice.call(body.rows);
    var value = function (row) { return numeric ? Number(cell(row, index)) : cell(row, index); };
    var filled = rows.filter(function (row) { return cell(row, index) !== ""; });
    var empty = rows.filter(function (row) { return cell(row, index) === ""; });
    var byLabel = function (a, b) { return cell(a, label) < cell(b, label) ? -1 : cell(a, label) > cell(b, label) ? 1 : 0; };
    filled.sort(function (a, b) {
      var x = value(a), y = value(b);
      var order = x < y ? -1 : x > y ? 1 : 0;
      return (descending ? -order : order) || byLabel(a, b);
    });
    empty.sort(byLabel);
    filled.concat(empty).forEach(function (row) { body.appendChild(row); });
    table.dataset.sort = sort;
    headings.forEach(function (th, i) {
      var link = th.querySelector("a"), url = new URL(link.href);
      if (i === index) th.setAttribute("aria-sort", descending ? "descending" : "ascending");
      else th.removeAttribute("aria-sort");
      url.searchParams.set("sort", i === index && !descending ? "-" + keys[i] : keys[i]);
      link.href = url.href;
    });
  }

  headings.forEach(function (th) {
    th.querySelector("a").addEventListener("click", function (event) {
      event.preventDefault();
      var sort = new URL(this.href).searchParams.get("sort");
      sortBy(sort);
      var address = new URL(window.location.href);
      address.searchParams.set("sort", sort);
      window.history.replaceState(null, "", address.href);
    });
  });

  var wanted = new URLSearchParams(window.location.search).get("sort");
  if (wanted && wanted !== table.dataset.sort) sortBy(wanted);
})();
