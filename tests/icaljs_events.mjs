// Reads an .ics file with Mozilla's ical.js (the parser Thunderbird uses) and prints each
// event's UID, STATUS, SEQUENCE and start and end as UTC ISO times (or dates), as JSON.
// Usage: node icaljs_events.mjs PATH_TO_ical.js/dist/ical.js FILE.ics
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const [library, file] = process.argv.slice(2);
const ICAL = (await import(pathToFileURL(library).href)).default;
const calendar = new ICAL.Component(ICAL.parse(readFileSync(file, "utf8")));
for (const zone of calendar.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(new ICAL.Timezone(zone));
}
const when = (time) =>
  time.isDate ? time.toString() : time.toJSDate().toISOString().replace(".000Z", "Z");
const events = calendar.getAllSubcomponents("vevent").map((component) => {
  const event = new ICAL.Event(component);
  return {
    uid: event.uid,
    status: component.getFirstPropertyValue("status"),
    sequence: event.sequence,
    start: when(event.startDate),
    end: when(event.endDate),
    organizer: component.getFirstPropertyValue("organizer"),
    attendees: component.getAllProperties("attendee").length,
  };
});
const method = calendar.getFirstPropertyValue("method");
process.stdout.write(JSON.stringify({ method, events }));
