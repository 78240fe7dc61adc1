// Which view of the data the map shows, in words: the public view, or what a signed-in user's
// organisation and role may read (the rule itself is the server's: row-level security).

const ROLES = { beheerder: "beheerder", planner: "planner", lezer: "lezer" };

/** The badge text and its longer explanation for a user (null: not signed in). */
export function viewLabel(user) {
  if (!user) {
    return {
      text: "Openbare weergave",
      title: "U bent niet ingelogd: de kaart toont openbare gegevens; vertrouwelijke gegevens tellen alleen mee "
        + "in cijfers per buurt, waar kleine aantallen zijn weggelaten.",
    };
  }
  const role = ROLES[user.rol] || user.rol;
  if (user.rol === "beheerder") {
    return {
      text: `Weergave: alle gegevens van ${user.gemeente}`,
      title: `U bent ingelogd als ${role} van ${user.organisatie}: u ziet alle gegevens van de gemeente.`,
    };
  }
  return {
    text: `Weergave: ${user.organisatie}`,
    title: `U bent ingelogd als ${role} van ${user.organisatie}: u ziet de openbare gegevens, wat partners van `
      + "de gemeente delen en de eigen gegevens van uw organisatie.",
  };
}

/** "Els de Vries (planner, Domijn)" */
export function whoLabel(user) {
  return user ? `${user.naam} (${ROLES[user.rol] || user.rol}, ${user.organisatie})` : "";
}
