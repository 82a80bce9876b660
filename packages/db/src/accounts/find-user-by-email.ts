import type { Db } from "../client";

export function findUserByEmail(db: Db, email: string) {
  return db.user.findUnique({ where: { email } });
}
