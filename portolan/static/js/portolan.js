// Portolan: small progressive enhancements. Every page works without this file.
(function () {
  "use strict";

  // Filter forms drop their empty fields on submit, so shared URLs stay short and readable.
  function tidyGetForms() {
    Array.prototype.forEach.call(document.querySelectorAll("form.filters"), function (form) {
      form.addEventListener("submit", function () {
        Array.prototype.forEach.call(form.elements, function (field) {
          if (field.name && !field.value) field.disabled = true;
        });
      });
    });
    // Coming back through the history cache must not leave fields disabled.
    window.addEventListener("pageshow", function () {
      Array.prototype.forEach.call(document.querySelectorAll("form.filters [disabled]"), function (field) {
        field.disabled = false;
      });
    });
  }

  // The language links work on their own; this also remembers the choice (Django's language
  // cookie, as its set_language view would write it), so that "/" opens in that language.
  function rememberLanguage() {
    Array.prototype.forEach.call(document.querySelectorAll(".lang-switch a[data-language]"), function (link) {
      link.addEventListener("click", function () {
        document.cookie = "django_language=" + link.getAttribute("data-language") +
          "; path=/; max-age=31536000; samesite=lax";
      });
    });
  }

  function init() {
    document.documentElement.classList.add("js");
    tidyGetForms();
    rememberLanguage();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
