// The browser's time zone (an IANA name such as "Europe/Rome"), so the console shows times as the organizer's clock does.
export function timeZone() {
    try {
        return Intl.DateTimeFormat().resolvedOptions().timeZone ?? null;
    } catch {
        return null;
    }
}
