"""The words of the field app's pages, in Swedish and English (output.language)."""

from __future__ import annotations

from cocoon.messages import Language

#: key → (Swedish, English)
WORDS: dict[str, tuple[str, str]] = {
    "app": ("cocoon – fältappen", "cocoon – the field app"),
    "login": ("Logga in", "Log in"),
    "logout": ("Logga ut", "Log out"),
    "username": ("Användarnamn", "User name"),
    "password": ("Lösenord", "Password"),
    "logged_in_as": ("Inloggad som", "Logged in as"),
    "today": ("I dag", "Today"),
    "users": ("Användare", "Users"),
    "upload": ("Läs in anmälningar", "Upload reports"),
    "access_log": ("Åtkomstlogg", "Access log"),
    "download_csv": ("Ladda ner som CSV", "Download as CSV"),
    "role.admin": ("kommunpolis (admin)", "kommunpolis (admin)"),
    "role.team": ("besöksteam", "visiting team"),
    "role.viewer": ("patrull", "patrol"),
    "new_reports": ("Nya anmälningar senaste 24 timmarna", "New reports, last 24 hours"),
    "no_new_reports": ("Inga nya anmälningar.", "No new reports."),
    "report_id": ("Anmälan", "Report"),
    "reported_at": ("Anmäld", "Reported"),
    "address": ("Adress", "Address"),
    "zone": ("Zon", "Zone"),
    "no_zone": ("ingen zon", "no zone"),
    "unlocated": ("utan plats", "unlocated"),
    "withdrawn": ("återkallad", "withdrawn"),
    "daily_zones": ("Dagens zoner", "Today's zones"),
    "no_zones": ("Inga aktiva zoner.", "No active zones."),
    "streets": ("Gator", "Streets"),
    "level": ("Nivå", "Level"),
    "level.high": ("hög risk", "high risk"),
    "level.elevated": ("förhöjd risk", "elevated risk"),
    "until": ("till", "until"),
    "days_left": ("dagar kvar", "days left"),
    "reports": ("anmälningar", "reports"),
    "new": ("nya", "new"),
    "rosters": ("Besökslistor", "Visit rosters"),
    "your_rosters": ("Dina besökslistor", "Your visit rosters"),
    "no_rosters": ("Inga besökslistor för dig just nu.", "No visit rosters for you now."),
    "roster": ("Lista", "Roster"),
    "burglary": ("Inbrottet", "The burglary"),
    "stops": ("Stopp", "Stops"),
    "done": ("klara", "done"),
    "sheet": ("Blad", "Sheet"),
    "stop": ("Nr", "No."),
    "kind": ("Typ", "Kind"),
    "kind.door": ("dörrknackning", "door knock"),
    "kind.stairwell": ("trapphuslapp", "stairwell notice"),
    "distance": ("Avstånd", "Distance"),
    "outcome": ("Utfall", "Outcome"),
    "outcome.visited": ("besökt", "visited"),
    "outcome.not_home": ("ej hemma – lapp lämnad", "not at home – leaflet left"),
    "outcome.declined": ("avböjde", "declined"),
    "outcome.pending": ("kvar", "pending"),
    "name": ("Namn", "Name"),
    "role": ("Roll", "Role"),
    "status": ("Status", "Status"),
    "active": ("aktiv", "active"),
    "disabled": ("avstängd", "disabled"),
    "add_user": ("Lägg till användare", "Add a user"),
    "add": ("Lägg till", "Add"),
    "disable": ("Stäng av", "Disable"),
    "new_password": ("Nytt lösenord", "New password"),
    "set_password": ("Byt lösenord", "Set password"),
    "given": ("Tilldelat", "Given"),
    "give": ("Tilldela", "Give"),
    "take_back": ("Ta tillbaka", "Take back"),
    "assign_help": (
        "Ett besöksteam ser bara listorna i de zoner eller de listor det har fått: ange zonens "
        "eller listans nummer (Z-…).",
        "A visiting team sees only the rosters of the zones or the rosters it is given: give the "
        "zone's or the roster's id (Z-…).",
    ),
    "kind.zone": ("zon", "zone"),
    "kind.roster": ("lista", "roster"),
    "user_added": ("Användaren {name} är tillagd.", "User {name} added."),
    "user_disabled": ("Användaren {name} är avstängd.", "User {name} disabled."),
    "password_set": ("Nytt lösenord för {name}.", "New password set for {name}."),
    "assigned": ("{name} har fått {kind} {key}.", "{name} was given {kind} {key}."),
    "unassigned": ("{name} har inte längre {kind} {key}.", "{name} no longer has {kind} {key}."),
    "upload_help": (
        "En anmälningsfil (CSV, GeoJSON eller polisens händelse-JSON) läses in precis som med "
        "`cocoon ingest`: godkända rader sparas, avvisade rader visas här och skrivs till en "
        "rejects-fil.",
        "A report file (CSV, GeoJSON or the police events JSON) is ingested exactly as by "
        "`cocoon ingest`: good rows are stored, rejected rows are shown here and written to a "
        "rejects file.",
    ),
    "file": ("Fil", "File"),
    "ingested": ("Inläst", "Ingested"),
    "created": ("nya", "new"),
    "updated": ("ändrade", "updated"),
    "unchanged": ("oförändrade", "unchanged"),
    "rejected": ("avvisade", "rejected"),
    "rejected_rows": ("Avvisade rader", "Rejected rows"),
    "rejects_file": ("Avvisade rader sparade i", "Rejected rows written to"),
    "unlocated_reports": (
        "utan plats (placera med `cocoon locate`)",
        "unlocated (place them with `cocoon locate`)",
    ),
    "no_file": ("Välj en fil att läsa in.", "Choose a file to upload."),
    "at": ("Tid", "Time"),
    "user": ("Användare", "User"),
    "client": ("Klient", "Client"),
    "action": ("Händelse", "Action"),
    "target": ("Vad", "What"),
    "detail": ("Detalj", "Detail"),
    "access_help": (
        "Vem som har sett eller laddat ner vilken intern sida eller fil och vem som har ändrat "
        "vad (brottsdatalagen). Loggen kan inte ändras härifrån.",
        "Who saw or downloaded which internal page or file, and who changed what "
        "(brottsdatalagen). The log cannot be changed from here.",
    ),
    "latest_entries": ("De senaste {count} posterna.", "The latest {count} entries."),
    "error.400": ("Felaktig begäran", "Bad request"),
    "error.401": ("Inte inloggad", "Not logged in"),
    "error.403": ("Åtkomst nekad", "Access denied"),
    "error.404": ("Sidan finns inte", "Page not found"),
    "error.405": ("Metoden stöds inte här", "Method not allowed here"),
    "error.413": ("Filen är för stor", "The file is too large"),
    "error.429": ("För många försök", "Too many attempts"),
    "error.500": ("Något gick fel", "Something went wrong"),
    "error.other": ("Fel", "Error"),
    "why.403": (
        "Din roll ger inte tillgång till den här sidan.",
        "Your role does not give access to this page.",
    ),
    "why.csrf": (
        "Formuläret kunde inte kontrolleras (det kan ha blivit för gammalt). Ladda om sidan och "
        "försök igen.",
        "The form could not be checked (it may be too old). Reload the page and try again.",
    ),
    "why.404": ("Sidan eller listan finns inte, eller är inte din.", "No such page or roster."),
    "why.413": ("Största tillåtna fil: {mb} MB.", "The largest file allowed: {mb} MB."),
    "why.500": (
        "Felet är loggat på servern. Försök igen, eller kontakta den som driver cocoon.",
        "The error is logged on the server. Try again, or contact whoever runs cocoon.",
    ),
    "back": ("Till startsidan", "Back to the start page"),
    # --- the maps, the zone, the signs, the visits, the reports (issue 14) ---
    "map": ("Karta", "Map"),
    "sign_due": ("skylt att sätta upp/ta ner", "sign to put up/take down"),
    "sign_ticked": ("skylt avbockad", "sign ticked"),
    "stop_pending": ("stopp kvar", "stop pending"),
    "stop_done": ("stopp klart", "stop done"),
    "sign_put_up": ("sätts upp i dag", "goes up today"),
    "sign_take_down": ("tas ner i dag", "comes down today"),
    "ticked": ("avbockad", "ticked"),
    "open_zone": ("Öppna zonen", "Open the zone"),
    "signs": ("Skyltar", "Signs"),
    "visits": ("Besök", "Visits"),
    "reports_page": ("Anmälningar", "Reports"),
    "waiting": ("Väntar", "Waiting"),
    "waiting_unlocated": ("{n} anmälningar utan plats", "{n} reports without a place"),
    "waiting_not_started": ("{n} besökslistor inte påbörjade", "{n} rosters not started"),
    "waiting_signs": ("{n} skyltar i dag inte avbockade", "{n} of today's signs not ticked"),
    "signs_today": ("Skyltar i dag: {up} upp, {down} ner", "Signs today: {up} up, {down} down"),
    "days_left_n": ("{n} dagar kvar", "{n} days left"),
    "then_elevated": ("sedan förhöjd risk till {until}", "then elevated until {until}"),
    "visits_line": (
        "{planned} listor planerade, {stops} stopp: {visited} besökta, {not_home} ej hemma, "
        "{declined} avböjde, {pending} kvar",
        "{planned} rosters planned, {stops} stops: {visited} visited, {not_home} not at home, "
        "{declined} declined, {pending} pending",
    ),
    "no_signs_today": ("Inga skyltar att sätta upp eller ta ner i dag.", "No signs due today."),
    "signs_help": (
        "Bocka av när skylten sitter uppe eller är nertagen; skyltplanen vet det sedan: en "
        "skylt som inte bockats av står kvar på listan nästa dag. Ett tryck till tar bort bocken.",
        "Tick when the sign is up or taken down; the sign plan then knows it: a sign not ticked "
        "stays on the list the next day. Another tap takes the tick back.",
    ),
    "late_up": ("skulle ha satts upp {day}", "was due up on {day}"),
    "late_down": ("skulle ha tagits ner {day}", "was due down on {day}"),
    "to_put_up": ("Sätts upp", "To put up"),
    "to_take_down": ("Tas ner", "To take down"),
    "put_up": ("uppsatt", "put up"),
    "taken_down": ("nertagen", "taken down"),
    "ticked_by": ("avbockad {at} av {by}", "ticked {at} by {by}"),
    "none": ("Inga.", "None."),
    "visits_status": ("Besök per zon", "Visits per zone"),
    "planned_rosters": ("Listor", "Rosters"),
    "followup": ("Uppföljning", "Follow-up"),
    "followup_open": ("Öppna uppföljningen", "Open the follow-up"),
    "followup_cli": (
        "Uppföljningen av besöken (om inbrotten i zonerna minskade) görs med `cocoon followup`.",
        "The follow-up of the visits (did burglaries in the zones fall) is made with "
        "`cocoon followup`.",
    ),
    "unlocated_title": ("Anmälningar utan plats", "Reports without a place"),
    "source": ("Källa", "Source"),
    "locate": ("Placera", "Locate"),
    "register_address": ("adress i registret", "address in the register"),
    "locate_help": (
        "Ange en adress som finns i adressregistret, eller latitud och longitud (WGS 84).",
        "Give an address of the address register, or latitude and longitude (WGS 84).",
    ),
    "retract": ("Återkalla en anmälan", "Withdraw a report"),
    "retract_help": (
        "En återkallad anmälan finns kvar i registret men ger ingen zon längre.",
        "A withdrawn report stays on record but makes no zone any more.",
    ),
    "reason": ("Skäl", "Reason"),
    "located": (
        "{id} är placerad på {lat:.5f} N, {lon:.5f} E.",
        "{id} placed at {lat:.5f} N, {lon:.5f} E.",
    ),
    "retracted": ("{id} är återkallad.", "{id} is withdrawn."),
    "roster_pdf": ("Utskrivbar lista (PDF)", "Printable roster (PDF)"),
    "note_and_saw": ("Anteckning · grannen såg något", "Note · a neighbour saw something"),
    "note": ("Anteckning", "Note"),
    "saw_what": ("Vad grannen såg", "What the neighbour saw"),
    "saw_when": ("När", "When"),
    "saw_when_hint": ("t.ex. i natt vid 02", "e.g. last night around 2"),
    "note_help": (
        "Skickas med nästa tryck på ett utfall. Internt: syns bara för besöksteamet och "
        "kommunpolisen.",
        "Sent with the next tap on an outcome. Internal: seen only by the team and the "
        "kommunpolis.",
    ),
    "queue_nojs": ("Varje tryck sparas direkt.", "Each tap is saved at once."),
    "queue_all_sent": ("Alla utfall skickade.", "All outcomes sent."),
    "queue_unsent": ("{n} ej skickade", "{n} not sent"),
    "queue_offline": (
        "ingen anslutning; de skickas när nätet är tillbaka",
        "no connection; they are sent when it is back",
    ),
    "queue_sending": ("skickar …", "sending …"),
    "queue_not_sent": ("ej skickad", "not sent"),
    "queue_login_again": (
        "Logga in igen för att skicka dem (de finns kvar i telefonen).",
        "Log in again to send them (they are kept on the phone).",
    ),
    "queue_superseded": ("ett senare utfall gäller", "a later outcome stands"),
    "queue_refused": ("kunde inte sparas", "could not be saved"),
}


def word(key: str, language: Language, /, **values: object) -> str:
    """The word or sentence `key` in `language`, its {placeholders} filled."""
    sv, en = WORDS[key]
    text = sv if language == "sv" else en
    return text.format(**values) if values else text
