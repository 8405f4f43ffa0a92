/**
 * The documented limits of notes (README "Notes"), shared by the service, the routes and the
 * form (which uses them for maxLength): no database import here, so a client component can read it.
 */
export const NOTE_MAX_CHARS = 10_000;
/**
 * A note request's body is read up to this many bytes (proxy.ts lets the notes routes past the
 * 16 KB of other requests): a note at its character limit, every character escaped in JSON
 * (\uXXXX, six bytes each), still fits.
 */
export const NOTE_BODY_BYTES = 64 * 1024;
/** The API routes that take a note's text (and so NOTE_BODY_BYTES). */
export const NOTE_ROUTE = /^\/api\/interactions\/[^/]+\/notes(\/[^/]+)?\/?$/;
export const NOTES_PER_INTERACTION_MAX = 200;
/** A note author's name: the sign-in display name, or the name an open inspector's browser keeps. */
export const DISPLAY_NAME_MAX_CHARS = 80;
/** The cookie that keeps the name an open inspector's browser writes notes as (the page and the routes read it). */
export const OPEN_NAME_STORAGE_KEY = "inspector_note_name";
