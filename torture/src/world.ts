import type { ApiUser } from '@syncline/test-utils';

/** A user of the run. Users live in realms: rows and shares never cross a realm. */
export interface User {
  id: string;
  name: string;
  realm: number;
  api: ApiUser;
}

/**
 * What the actors know about the data (ids they may pick). It is only a hint: a picked id may be gone,
 * which makes an UPDATE or DELETE a no-op, as in real life.
 */
export class World {
  readonly projects = new Map<number, string[]>();
  readonly documents = new Map<number, string[]>();
  readonly shares = new Map<number, string[]>();

  constructor(readonly users: User[]) {
    for (const u of users) {
      this.projects.set(u.realm, []);
      this.documents.set(u.realm, []);
      this.shares.set(u.realm, []);
    }
  }

  get realms(): number[] {
    return [...new Set(this.users.map((u) => u.realm))];
  }

  usersOf(realm: number): User[] {
    return this.users.filter((u) => u.realm === realm);
  }

  realmOf(userId: string): number {
    return this.users.find((u) => u.id === userId)?.realm ?? -1;
  }

  remember(kind: 'projects' | 'documents' | 'shares', realm: number, id: string): void {
    const list = this[kind].get(realm)!;
    list.push(id);
    if (list.length > 4000) list.splice(0, list.length - 4000);
  }

  forget(kind: 'projects' | 'documents' | 'shares', realm: number, id: string): void {
    const list = this[kind].get(realm)!;
    const i = list.indexOf(id);
    if (i >= 0) list.splice(i, 1);
  }
}
