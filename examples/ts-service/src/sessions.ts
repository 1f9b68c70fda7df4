/*
 * sessions.ts: a session registry that never forgets (the leak of examples/ts-service).
 *
 * What leaks: `openSessions` (a module-level Map) gains one SessionRecord per tick of the server and
 * `closeSession` is never called by it, so every record (~1.5 KB of profile text) stays reachable.
 * The fix: delete the entry when the session ends, or expire idle entries.
 *
 * The types below compile to nothing, so lines in dist/sessions.js and here differ: leakhound prints
 * the lines of this file through dist/sessions.js.map.
 */

export type SessionId = string;

export interface UserProfile {
  userId: number;
  displayName: string;
  roles: readonly string[];
}

export interface SessionOptions {
  ttlMs?: number;
  sticky?: boolean;
}

export enum SessionState {
  Open = 'open',
  Closed = 'closed',
}

export class SessionRecord {
  readonly openedAt: number = Date.now();
  state: SessionState = SessionState.Open;

  constructor( // leak:constructor of the leaked objects
    readonly id: SessionId,
    readonly profile: UserProfile,
    readonly notes: string,
    readonly options: SessionOptions = {},
  ) {}
}

const openSessions = new Map<SessionId, SessionRecord>();

export function openSession(id: SessionId, profile: UserProfile): SessionRecord {
  const notes: string = Buffer.alloc(1500, `${id}|${profile.displayName}|`).toString('latin1');
  const record = new SessionRecord(id, profile, notes, { sticky: true });
  openSessions.set(id, record); // leak:accumulates (BUG: never deleted)
  return record;
}

export function closeSession(id: SessionId): void {
  const record = openSessions.get(id);
  if (record !== undefined) {
    record.state = SessionState.Closed;
    openSessions.delete(id);
  }
}

export function openCount(): number {
  return openSessions.size;
}
