import { AuthButton } from "./AuthButton";
import { useLiveSession } from "./LiveSession";

/** Up to two initials of a name ("Alice Liddell" → "AL"), for the avatar. */
export function initialsOf(name: string): string {
  return name
    .split(/[\s._@-]+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part[0]?.toUpperCase() ?? "")
    .join("");
}

/** The header's right side: who is signed in (avatar and name; the name hides on a phone) and Sign in or Sign out. */
export function UserMenu() {
  const { data: session } = useLiveSession();
  const name = session?.user?.name ?? session?.user?.email ?? undefined;
  return (
    <div className="user-menu">
      {name && (
        <>
          <span className="avatar" aria-hidden="true">
            {initialsOf(name)}
          </span>
          <span className="user-name">{session?.user?.name ?? "Signed in"}</span>
        </>
      )}
      <AuthButton />
    </div>
  );
}
