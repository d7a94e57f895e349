// Counts down to each <time class="countdown" datetime="..."> once a minute.
(function () {
  function update() {
    document.querySelectorAll("time.countdown").forEach(function (el) {
      var left = Math.floor((new Date(el.getAttribute("datetime")) - new Date()) / 60000);
      if (left <= 0) { el.textContent = el.dataset.closed; return; }
      var days = Math.floor(left / 1440), hours = Math.floor((left % 1440) / 60);
      el.textContent = days + " " + el.dataset.days + " " + hours + " " + el.dataset.hours +
        " " + (left % 60) + " " + el.dataset.minutes;
    });
  }
  update();
  setInterval(update, 60000);
})();
