const SHORTCUTS: [string, string][] = [
  ["j", "Next turn"],
  ["k", "Previous turn"],
  ["]", "Next interaction in the list it was opened from"],
  ["[", "Previous interaction in that list"],
  ["c", "Copy the link (to the current turn, if the address names one)"],
  ["l", "Open the labels: type to find or make one, Enter adds or removes it"],
  ["n", "Write a note (the interaction page)"],
  ["Ctrl+Enter", "Save the note you are writing (⌘+Enter on a Mac)"],
  ["?", "Show or hide these shortcuts"],
  ["Esc", "Close this dialog"],
];

export function ShortcutsDialog() {
  return (
    <dialog id="shortcuts" aria-labelledby="shortcuts-heading" className="dialog">
      <h2 id="shortcuts-heading" className="mb-3 text-base font-semibold">
        Keyboard shortcuts
      </h2>
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
        {SHORTCUTS.map(([key, label]) => (
          <div key={key} className="contents">
            <dt>
              <kbd className="kbd">{key}</kbd>
            </dt>
            <dd>{label}</dd>
          </div>
        ))}
      </dl>
      <form method="dialog" className="mt-4 text-right">
        <button type="submit" className="btn">
          Close
        </button>
      </form>
    </dialog>
  );
}
