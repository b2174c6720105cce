"use client";
// The console's modal dialog, on the native <dialog> element (focus trap, Escape and the backdrop come
// with it): one for every page that asks something in a modal.
import { type ReactNode, useEffect, useRef } from "react";

const WIDTH = { md: "max-w-lg", lg: "max-w-2xl" } as const;

export function Dialog({
  open,
  title,
  heading,
  subtitle,
  size = "md",
  onClose,
  children,
}: {
  open: boolean;
  /** The dialog's accessible name, and its heading unless `heading` is given. */
  title: string;
  heading?: ReactNode;
  subtitle?: ReactNode;
  size?: keyof typeof WIDTH;
  onClose: () => void;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      aria-label={title}
      onClose={onClose}
      className={`mx-auto mt-[8vh] max-h-[84vh] w-full overflow-y-auto ${WIDTH[size]} rounded-xl border border-zinc-200 bg-white p-0 text-zinc-900 shadow-xl backdrop:bg-black/40 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100`}
    >
      {open ? (
        <div className="p-5">
          <div className="mb-3 flex items-start justify-between gap-4">
            <div>
              <h2 className="text-lg font-semibold">{heading ?? title}</h2>
              {subtitle ? <p className="text-sm text-zinc-500">{subtitle}</p> : null}
            </div>
            <button
              type="button"
              onClick={onClose}
              aria-label="Close"
              className="rounded-md px-2 py-1 text-zinc-500 hover:bg-zinc-100 dark:hover:bg-zinc-800"
            >
              ✕
            </button>
          </div>
          {children}
        </div>
      ) : null}
    </dialog>
  );
}
