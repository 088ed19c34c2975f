/* Start: the language buttons, sign out, the router on every hash change, and the
 * first view. Last in CONSOLE_SOURCES, so everything above is defined. */

document.querySelectorAll('.lang button').forEach(function (b) {
  b.addEventListener('click', function () { setLang(b.getAttribute('data-lang')); });
});
document.getElementById('sign-out').addEventListener('click', function () { signOut(t('signout.done')); });
window.addEventListener('hashchange', function () { render(true); });
applyStaticTexts();
render(false);
