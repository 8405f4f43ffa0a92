/** Copying to the clipboard, and the toast that says how it went. */

export function announce(message: string) {
  const toast = document.getElementById("toast");
  if (!toast) return;
  toast.textContent = message;
  toast.dataset.visible = "true";
  window.clearTimeout(Number(toast.dataset.timer));
  toast.dataset.timer = String(window.setTimeout(() => (toast.dataset.visible = "false"), 2_500));
}

export async function copyText(text: string | Promise<string>, done: string) {
  try {
    if (typeof ClipboardItem !== "undefined" && navigator.clipboard?.write) {
      // A promise-valued ClipboardItem keeps the click's permission while the text is fetched.
      const blob = Promise.resolve(text).then((value) => new Blob([value], { type: "text/plain" }));
      await navigator.clipboard.write([new ClipboardItem({ "text/plain": blob })]);
    } else {
      await navigator.clipboard.writeText(await text);
    }
    announce(done);
  } catch {
    announce("Could not copy: the browser refused clipboard access.");
  }
}

