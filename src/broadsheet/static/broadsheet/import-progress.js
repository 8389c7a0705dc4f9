// Keeps an import's progress current while the page is open: every two seconds it reads
// the page again and puts the new progress in place; once the import has ended, it shows
// the report. Without script, the "Check progress" link does the same by hand (a timed
// reload would take the page away from people still reading it: WCAG 2.2.1).
(() => {
  "use strict";
  const status = document.getElementById("import-status");
  if (!status) return;
  const check = async () => {
    try {
      const response = await fetch(window.location.href, { headers: { Accept: "text/html" } });
      if (!response.ok) return setTimeout(check, 5000);
      const page = new DOMParser().parseFromString(await response.text(), "text/html");
      const fresh = page.getElementById("import-status");
      if (!fresh) return window.location.reload(); // ended: show the report
      if (fresh.innerHTML !== status.innerHTML) status.innerHTML = fresh.innerHTML;
    } catch {
      // the network came and went: try again a little later
    }
    setTimeout(check, 2000);
  };
  setTimeout(check, 2000);
})();
