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
  table: null, //         { jaar, periode, perioden, onderdrukt, synthetisch, rows: Map(buurtcode → row) }
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

  // --- the page
  loading: 0, //          requests in flight (the loading indicator)
  layout: "breed", //     breed (panels beside the map) | smal (panels are drawers over the map)
  drawer: null, //        instellingen | resultaten | null: the open drawer when smal
  message: null, //       { text, error } for the status line
});
