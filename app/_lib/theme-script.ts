// Run in <head> before the page paints (no flash of the wrong theme): puts `dark` on <html> when the
// theme is dark, or is "system" and the system prefers dark, and follows the system while on "system".
// The theme comes from the person's preferences (data-theme on <html>, rendered by the server).
export const THEME_SCRIPT = `(function(){try{var d=document.documentElement,m=window.matchMedia("(prefers-color-scheme: dark)");var apply=function(){var t=d.getAttribute("data-theme")||"system";d.classList.toggle("dark",t==="dark"||(t==="system"&&m.matches));};apply();m.addEventListener("change",apply);window.__cadenzaApplyTheme=apply;}catch(e){}})();`;
