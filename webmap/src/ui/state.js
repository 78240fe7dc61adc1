// The one state store of the web map. Every key is declared here, with what it holds; modules
// read with store.get(key), change with store.set({ key: value }) and react with
// store.subscribe([keys], fn). Values are replaced, never mutated in place (subscribers compare
// by identity). Leaflet objects are not state: each module keeps its own layers.

import { createStore } from "../lib/store.js";

export const store = createStore({
  // --- from the server, read once at start
  config: null, //        GET /api/config: gemeente, basemap
  user: null, //          GET /api/auth/ik: the signed-in user (null: the public view; ui/auth.js)
  meta: null, //          GET /api/meta: methods, quadrants, directions, score indicators, kerncijfer labels
  layerInfo: [], //       GET /api/layers: titles, attribution, years/editions per layer
  catalogue: [], //       GET /api/indicators: the indicators of the loaded layers
  buurten: null, //       GeoJSON of the buurten of the gemeente (codes and names)
  names: new Map(), //    buurtcode → buurtnaam

  // --- the indicator table of the chosen period (GET /api/indicators/table)
  table: null, //         { jaar, editie, periode, perioden, onderdrukt, synthetisch, kolommen: Map(id → column),
  //                      volledigheid, keuzes, waarschuwingen, leveringen, rows: Map(buurtcode → row) }
  periode: null, //       the chosen period of the partner data

  // --- what the map shows
  indicator: null, //     id of the indicator the buurten are coloured by
  classification: "quantile", // quantile | jenks | equal (lib/classes.js CLASSIFICATIONS)
  classes: 5, //          number of classes
  opacity: { buurten: 0.75, achtergrond: 1, wijken: 1, partners: 0.95 },
  wijkenOn: true,
  basemap: "uit", //      uit | laden | aan | mislukt

  // --- the weighting (score panel)
  profiles: [], //        GET /api/scores/profiles
  profile: null, //       name of the chosen profile
  method: null, //        aggregation method id
  weights: {}, //         criterion id → weight, exactly as sent to the engine
  options: { robuust: false, partners: false, kandidaten: false },
  scores: null, //        the shown result: { result, byCode, contrib, robust, partnerRanks, seq }
  scoreStatus: "geen", // geen | bezig | ok | verouderd (a re-score failed; the shown result is old)
  scoreError: null, //    Dutch message of the failed re-score
  candidates: null, //    GeoJSON of the candidate areas of the shown result
  scenarios: [], //       GET /api/scenarios
  comparison: null, //    GET /api/scenarios/compare: rank changes between two scenarios

  // --- selection and comparison
  selected: null, //      buurtcode of the selected buurt
  compare: { mode: "uit", links: null, rechts: null, indicator: null, periodeA: null, periodeB: null, scenarioA: null, scenarioB: null },
  compareData: null, //   { left, right, diff } values per side, fetched for the compare mode
  swipe: 0.5, //          position of the swipe divider (0–1 of the map width)

  // --- partner layers (address points, project areas)
  partnerOn: { bezit: false, projecten: false, verkoop: false },

  // --- data choices (issue 8: ui/periods.js, ui/choices.js, ui/completeness.js)
  dataChoice: { jaar: null, editie: null }, // buurten year and Leefbaarometer edition asked for in the address (null: the API's standaard)
  periods: null, //       GET /api/periods: standaard, perioden [{ periode, volledig, actueel, ontbrekend }], waarschuwingen
  candidateAxis: "gecombineerd", // the score candidate areas are formed on: gecombineerd | urgentie | potentie
  // --- DIA areas and proposals (issue 9: ui/dia*.js, ui/proposal*.js)
  diaTool: null, //       the drawing tool in use: tekenen | buurten | bewerken | verslepen | knippen | null
  diaArea: null, //       the area on the map: { geometry (GeoJSON, EPSG:4326), bron: getekend | buurten |
  //                      kandidaat | voorstel, naam, voorstel: { id, versie } (editing a proposal) | null }
  diaPicked: { buurten: [], wijken: [] }, // codes chosen in "buurten kiezen"
  diaStats: null, //      statistics of diaArea: { state: bezig | ok | fout, data, error }
  organisations: [], //   GET /api/organisations: the partners a proposal or comment can name
  proposals: null, //     GeoJSON of every proposal's newest version (GET /api/voorstellen/kaart)
  proposalFilter: { status: "", partner: "" },
  proposalsOn: true, //   the proposals layer on the map
  proposal: null, //      id of the open proposal (in the address: #voorstel=…)
  proposalDetail: null, // GET /api/voorstellen/{id}: newest version, history, comments, commitments
  proposalVersion: null, // the version shown (GET …/versies/{n}); the newest unless one was chosen
  proposalComparison: null, // GET …/vergelijk?a=&b=: added and removed area, change in figures

  // --- the page
  loading: 0, //          requests in flight (the loading indicator)
  layout: "breed", //     breed (panels beside the map) | smal (panels are drawers over the map)
  drawer: null, //        instellingen | resultaten | null: the open drawer when smal
  message: null, //       { text, error } for the status line
});
