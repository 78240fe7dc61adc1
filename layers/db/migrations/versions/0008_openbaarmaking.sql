-- Migration 0008, part two: the disclosure rule for aggregates ("openbaar, tenzij", DESIGN.md).
--
-- Row-level security lets the application role read only the records its principal may see.
-- The figures per buurt (the indicator table) are nevertheless computed over *every* record of a
-- period's view: the partners agreed that confidential data count in aggregates, as long as no
-- aggregate gives away a dwelling or a project, to the public or to an organisation that subtracts
-- the records it knows itself. These functions do that work as the owner of the tables (SECURITY
-- DEFINER) and return aggregates only, after the rule below; nothing else of a hidden record leaves
-- them. The application role may execute them and nothing more (EXECUTE revoked from PUBLIC); the
-- helpers they share (sia_bezit_in_buurten, sia_bezit_buurtcijfers) it may not execute at all.
--
-- THE RULE. One place: sia_regel_aandeel and sia_regel_som below; the thresholds are the constants
-- of sia_openbaarmakingsregel, which layers/disclosure.py names in its texts (a test compares them).
-- "Hidden" records are those the viewer may not read (sia_mag_lezen refuses them).
--   1. An aggregate over hidden records is published only if it still meets its threshold after
--      leaving out any one organisation's records: every organisation knows the records it
--      delivered and can subtract them from a figure, so the threshold must hold outside the
--      largest contributing organisation (the delivering organisation of the records):
--      - shares and means (share of labels E/F/G, mean condition): at least min_woningen (5)
--        hidden dwellings that carry the value outside the organisation with the most of them;
--      - sums over projects (planned investment, dwellings added, dwellings removed): at least
--        min_projecten (3) hidden projects that carry the value outside the organisation with the
--        most of them, and no single project more than dominantie (85 %) of what is left when
--        nobody's or any one organisation's projects are taken out (the CBS (1, 85) dominance rule).
--   2. The same test again for the hidden records a signed-in partner cannot read either (all
--      but class `partners` of the gemeente), when there are any: every partner reads class
--      `partners` and could subtract those records from a public figure too.
--   3. Records the viewer may read do not enter the test: who sees the figure can subtract them.
--   4. Counts (dwellings, corporations, projects, planned sales, partners) are not suppressed.
--   5. Nothing finer than the buurt figure is published of hidden records. The statistics of a
--      drawn area (sia_gebied_bezit) take the hidden part of each buurt it touches as one whole
--      (all organisations together, the same records and the same verdict as the buurt figure)
--      and the caller apportions it by the buurt's share in the area; never per corporation, never
--      by where the records lie.
-- Each function says per buurt which value it suppressed and why (onderdrukt: value → reason).

CREATE FUNCTION sia_openbaarmakingsregel() RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT jsonb_build_object('min_woningen', 5, 'min_projecten', 3, 'dominantie', 0.85)
$$;

-- The test of a share or mean on one part of the hidden records: `per_organisatie` holds, for each
-- organisation with records in that part, its dwellings that carry the value. NULL: it passes.
CREATE FUNCTION sia_regel_aandeel_deel(per_organisatie numeric[]) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN t.n = 0 THEN NULL
                WHEN t.n < r.m THEN 'minder_dan_min_woningen'
                WHEN t.n - t.grootste < r.m THEN 'minder_dan_min_woningen_buiten_grootste'
           END
    FROM (SELECT coalesce(sum(x), 0) AS n, coalesce(max(x), 0) AS grootste
          FROM unnest(per_organisatie) AS x WHERE x > 0) t,
         (SELECT (sia_openbaarmakingsregel() ->> 'min_woningen')::numeric AS m) r
$$;

-- Reason to suppress a share or mean (rule 1 and 2): per delivering organisation, its hidden
-- dwellings that carry the value (`verborgen`) and those of them a signed-in partner cannot read
-- either (`eigen`), in the same order. NULL: publish.
CREATE FUNCTION sia_regel_aandeel(verborgen numeric[], eigen numeric[]) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(sia_regel_aandeel_deel(verborgen),
                    CASE WHEN sia_regel_aandeel_deel(eigen) IS NOT NULL THEN 'na_aftrek_partners' END)
$$;

-- The test of a sum on one part of the hidden records: per organisation with records in that part
-- the number of its projects that carry the value (`n`), the sum of their absolute contributions
-- (`som`) and the largest one (`grootste`), in the same order. NULL: it passes.
CREATE FUNCTION sia_regel_som_deel(n bigint[], som double precision[], grootste double precision[])
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    WITH o AS (
        SELECT x.i, x.n, coalesce(x.som, 0) AS som, coalesce(x.grootste, 0) AS grootste
        FROM unnest(n, som, grootste) WITH ORDINALITY AS x(n, som, grootste, i)
        WHERE x.n > 0
    ),
    r AS (
        SELECT (sia_openbaarmakingsregel() ->> 'min_projecten')::bigint AS m,
               (sia_openbaarmakingsregel() ->> 'dominantie')::float8 AS d
    ),
    t AS (
        SELECT coalesce(sum(o.n), 0) AS n, coalesce(max(o.n), 0) AS grootste_n,
               coalesce(sum(o.som), 0) AS som
        FROM o
    ),
    -- what is left to an onlooker who knows none of these projects (i = 0) or one organisation's
    rest AS (
        SELECT t.som - w.som AS som, (SELECT max(p.grootste) FROM o p WHERE p.i <> w.i) AS grootste
        FROM t, (SELECT 0::bigint AS i, 0::float8 AS som UNION ALL SELECT o.i, o.som FROM o) w
    )
    SELECT CASE WHEN t.n = 0 THEN NULL
                WHEN t.n < r.m THEN 'minder_dan_min_projecten'
                WHEN t.n - t.grootste_n < r.m THEN 'minder_dan_min_projecten_buiten_grootste'
                WHEN EXISTS (SELECT 1 FROM rest WHERE rest.som > 0 AND rest.grootste > r.d * rest.som)
                    THEN 'dominantie'
           END
    FROM t, r
$$;

-- Reason to suppress a sum (rule 1 and 2): per delivering organisation the hidden projects' count,
-- absolute sum and largest contribution, and the same of those a signed-in partner cannot read
-- either (`eigen_...`), in the same order. NULL: publish.
CREATE FUNCTION sia_regel_som(
    n bigint[], som double precision[], grootste double precision[],
    eigen_n bigint[], eigen_som double precision[], eigen_grootste double precision[]
) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(sia_regel_som_deel(n, som, grootste),
                    CASE WHEN sia_regel_som_deel(eigen_n, eigen_som, eigen_grootste) IS NOT NULL
                         THEN 'na_aftrek_partners' END)
$$;

-- The holdings of a period's view (delivery versions p_bezit) in the buurten p_codes of p_jaar
-- (NULL: every buurt of the gemeente), record by record: the one place that decides in which buurt
-- a record counts and who delivered it. A point counts in the buurt it lies in (on a border: in
-- the first of the buurten it touches, by code); a per-buurt count by its buurtcode or, for a code
-- of another buurten year, in the buurt of p_jaar that holds that buurt's inner point.
-- `organisatie`: the delivering organisation (its id; the partner's name for a delivery without
-- one); `leesbaar`: the viewer may read the record (sia_mag_lezen); `partners_leesbaar`: every
-- signed-in partner of the gemeente may read it (sia_mag_lezen_als a lezer of no organisation).
-- Executed by the functions below as the owner; the application role may not execute it.
CREATE FUNCTION sia_bezit_in_buurten(p_gemeente text, p_jaar integer, p_bezit bigint[], p_codes text[])
RETURNS TABLE (
    buurtcode text,
    organisatie text,
    corporatie text,
    aantal_woningen integer,
    energielabel text,
    conditie smallint,
    daeb boolean,
    synthetisch boolean,
    punt boolean,
    leesbaar boolean,
    partners_leesbaar boolean
)
LANGUAGE sql STABLE AS $fn$
WITH b AS (
    SELECT x.buurtcode, x.geom FROM buurten x
    WHERE x.gemeentecode = p_gemeente AND x.jaar = p_jaar
      AND (p_codes IS NULL OR x.buurtcode = ANY(p_codes))
),
l AS MATERIALIZED (  -- the deliveries of the view (a handful), with what sia_mag_lezen needs
    SELECT id, via, organisatie_id, gemeente, coalesce(organisatie_id::text, partner) AS organisatie
    FROM leveringen WHERE id = ANY(p_bezit)
),
telling AS (  -- the buurtcodes of per-buurt counts → the buurt of p_jaar they count in
    SELECT DISTINCT ON (o.buurtcode) o.buurtcode AS code, coalesce(same.buurtcode, y.buurtcode) AS buurtcode
    FROM buurten o
    LEFT JOIN buurten same
           ON same.buurtcode = o.buurtcode AND same.gemeentecode = p_gemeente AND same.jaar = p_jaar
    LEFT JOIN LATERAL (SELECT z.buurtcode FROM buurten z
                       WHERE z.gemeentecode = p_gemeente AND z.jaar = p_jaar
                         AND ST_Intersects(z.geom, ST_PointOnSurface(o.geom))
                       ORDER BY z.buurtcode LIMIT 1) y ON same.buurtcode IS NULL
    WHERE o.gemeentecode = p_gemeente
      AND o.buurtcode IN (SELECT x.buurtcode FROM bezit x WHERE x.levering_id = ANY(p_bezit) AND x.geom IS NULL)
    ORDER BY o.buurtcode, (same.buurtcode IS NULL), o.jaar DESC
),
r AS (
    SELECT b.buurtcode, z.levering_id, z.vertrouwelijkheid, z.corporatie, z.aantal_woningen,
           z.energielabel, z.conditie, z.daeb, z.synthetisch, true AS punt
    FROM b JOIN bezit z ON ST_Intersects(b.geom, z.geom)
    WHERE z.levering_id = ANY(p_bezit)
      AND (ST_Contains(b.geom, z.geom)  -- inside: no other buurt has it (checked first: cheap)
           OR NOT EXISTS (SELECT 1 FROM buurten y
                          WHERE y.gemeentecode = p_gemeente AND y.jaar = p_jaar
                            AND y.buurtcode < b.buurtcode AND ST_Intersects(y.geom, z.geom)))
    UNION ALL
    SELECT b.buurtcode, z.levering_id, z.vertrouwelijkheid, z.corporatie, z.aantal_woningen,
           z.energielabel, z.conditie, z.daeb, z.synthetisch, false
    FROM bezit z JOIN telling t ON t.code = z.buurtcode JOIN b ON b.buurtcode = t.buurtcode
    WHERE z.geom IS NULL AND z.levering_id = ANY(p_bezit)
)
SELECT r.buurtcode, l.organisatie, r.corporatie, r.aantal_woningen, r.energielabel, r.conditie, r.daeb,
       r.synthetisch, r.punt,
       sia_mag_lezen(r.vertrouwelijkheid, r.synthetisch, l.via, l.organisatie_id, l.gemeente),
       sia_mag_lezen_als(r.vertrouwelijkheid, r.synthetisch, l.via, l.organisatie_id, l.gemeente,
                         'lezer', NULL, p_gemeente)
FROM r JOIN l ON l.id = r.levering_id
$fn$;

-- The holdings of each buurt (p_codes of p_jaar; NULL: all of the gemeente) as the buurt figures
-- count them: totals over every record, the part the viewer may not read (`verborgen_...`), and the
-- rule's verdict on that part (`regel_label`, `regel_conditie`: the reason, or NULL to publish).
-- Raw figures: only the functions below, which apply the verdict, may call it (as the owner).
CREATE FUNCTION sia_bezit_buurtcijfers(p_gemeente text, p_jaar integer, p_bezit bigint[], p_codes text[])
RETURNS TABLE (
    buurtcode text,
    woningen bigint,
    daeb bigint,
    n_corporaties bigint,
    efg bigint,
    gelabeld bigint,
    conditie_som bigint,
    conditie_n bigint,
    verborgen_woningen bigint,
    verborgen_efg bigint,
    verborgen_gelabeld bigint,
    verborgen_conditie_som bigint,
    verborgen_conditie_n bigint,
    verborgen_synthetisch boolean,
    regel_label text,
    regel_conditie text
)
LANGUAGE sql STABLE AS $fn$
WITH r AS MATERIALIZED (
    SELECT * FROM sia_bezit_in_buurten(p_gemeente, p_jaar, p_bezit, p_codes)
),
per_org AS (  -- the hidden dwellings that carry each value, per buurt and delivering organisation
    SELECT r.buurtcode, r.organisatie,
           coalesce(sum(r.aantal_woningen) FILTER (WHERE r.energielabel IS NOT NULL), 0)::numeric AS label,
           coalesce(sum(r.aantal_woningen) FILTER (WHERE r.energielabel IS NOT NULL
                                                   AND NOT r.partners_leesbaar), 0)::numeric AS label_eigen,
           coalesce(sum(r.aantal_woningen) FILTER (WHERE r.conditie IS NOT NULL), 0)::numeric AS conditie,
           coalesce(sum(r.aantal_woningen) FILTER (WHERE r.conditie IS NOT NULL
                                                   AND NOT r.partners_leesbaar), 0)::numeric AS conditie_eigen
    FROM r WHERE NOT r.leesbaar
    GROUP BY r.buurtcode, r.organisatie
),
regels AS (
    SELECT p.buurtcode,
           sia_regel_aandeel(array_agg(p.label ORDER BY p.organisatie),
                             array_agg(p.label_eigen ORDER BY p.organisatie)) AS regel_label,
           sia_regel_aandeel(array_agg(p.conditie ORDER BY p.organisatie),
                             array_agg(p.conditie_eigen ORDER BY p.organisatie)) AS regel_conditie
    FROM per_org p GROUP BY p.buurtcode
),
agg AS (
    SELECT r.buurtcode,
           sum(r.aantal_woningen) AS woningen,
           coalesce(sum(r.aantal_woningen) FILTER (WHERE r.daeb), 0) AS daeb,
           count(DISTINCT r.corporatie) AS n_corporaties,
           coalesce(sum(r.aantal_woningen) FILTER (WHERE r.energielabel IN ('E', 'F', 'G')), 0) AS efg,
           coalesce(sum(r.aantal_woningen) FILTER (WHERE r.energielabel IS NOT NULL), 0) AS gelabeld,
           coalesce(sum(r.conditie * r.aantal_woningen), 0) AS conditie_som,
           coalesce(sum(r.aantal_woningen) FILTER (WHERE r.conditie IS NOT NULL), 0) AS conditie_n,
           coalesce(sum(r.aantal_woningen) FILTER (WHERE NOT r.leesbaar), 0) AS verborgen_woningen,
           coalesce(sum(r.aantal_woningen) FILTER (WHERE NOT r.leesbaar
                                                   AND r.energielabel IN ('E', 'F', 'G')), 0) AS verborgen_efg,
           coalesce(sum(r.aantal_woningen) FILTER (WHERE NOT r.leesbaar
                                                   AND r.energielabel IS NOT NULL), 0) AS verborgen_gelabeld,
           coalesce(sum(r.conditie * r.aantal_woningen) FILTER (WHERE NOT r.leesbaar), 0)
               AS verborgen_conditie_som,
           coalesce(sum(r.aantal_woningen) FILTER (WHERE NOT r.leesbaar AND r.conditie IS NOT NULL), 0)
               AS verborgen_conditie_n,
           coalesce(bool_or(r.synthetisch) FILTER (WHERE NOT r.leesbaar), false) AS verborgen_synthetisch
    FROM r GROUP BY r.buurtcode
)
SELECT a.buurtcode, a.woningen, a.daeb, a.n_corporaties, a.efg, a.gelabeld, a.conditie_som::bigint,
       a.conditie_n, a.verborgen_woningen, a.verborgen_efg, a.verborgen_gelabeld,
       a.verborgen_conditie_som::bigint, a.verborgen_conditie_n, a.verborgen_synthetisch,
       g.regel_label, g.regel_conditie
FROM agg a LEFT JOIN regels g USING (buurtcode)
$fn$;

-- Partner indicators per buurt of one gemeente and buurten year, from the deliveries of a
-- period's view (layers.periods): p_bezit, p_projecten, p_verkoop are the delivery versions whose
-- records count for each layer. Holdings as sia_bezit_in_buurten places them; planned sales the
-- same way; project polygons are apportioned by the share of their area inside each buurt (other
-- project shapes count in the first buurt they touch, by code).
CREATE FUNCTION sia_partner_aggregaten(
    p_gemeente text, p_jaar integer, p_bezit bigint[], p_projecten bigint[], p_verkoop bigint[]
) RETURNS TABLE (
    buurtcode text,
    bezit_woningen bigint,
    bezit_daeb bigint,
    n_corporaties bigint,
    aandeel_label_efg double precision,
    gem_conditie double precision,
    geplande_investering double precision,
    investering_per_woning double precision,
    geplande_woningen double precision,
    geplande_sloop double precision,
    n_projecten bigint,
    geplande_verkoop bigint,
    n_partners_plannen bigint,
    onderdrukt jsonb
)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $fn$
WITH b AS (
    SELECT x.buurtcode, x.aantal_huishoudens, x.geom
    FROM buurten x
    WHERE x.gemeentecode = p_gemeente AND x.jaar = p_jaar
),
code_in_jaar AS (
    -- every buurtcode of the gemeente in any loaded year → the buurt of p_jaar it lies in
    SELECT DISTINCT ON (o.buurtcode) o.buurtcode AS code, coalesce(same.buurtcode, y.buurtcode) AS buurtcode
    FROM buurten o
    LEFT JOIN b same ON same.buurtcode = o.buurtcode
    LEFT JOIN LATERAL (SELECT z.buurtcode FROM b z WHERE ST_Intersects(z.geom, ST_PointOnSurface(o.geom))
                       ORDER BY z.buurtcode LIMIT 1) y ON same.buurtcode IS NULL
    WHERE o.gemeentecode = p_gemeente
    ORDER BY o.buurtcode, (same.buurtcode IS NULL), o.jaar DESC
),
l AS MATERIALIZED (  -- the deliveries of the view (a handful), with what sia_mag_lezen needs
    SELECT id, via, organisatie_id, gemeente, coalesce(organisatie_id::text, partner) AS organisatie
    FROM leveringen WHERE id = ANY(p_projecten) OR id = ANY(p_verkoop)
),
bezit_agg AS (
    SELECT * FROM sia_bezit_buurtcijfers(p_gemeente, p_jaar, p_bezit, NULL)
),
pr AS (
    SELECT b.buurtcode, p.partij, p.investering_eur, p.woningen_erbij, p.woningen_eraf, l.organisatie,
           CASE WHEN ST_Dimension(p.geom) = 2
                THEN ST_Area(ST_Intersection(b.geom, p.geom)) / nullif(ST_Area(p.geom), 0)
                ELSE 1.0 END AS aandeel,
           sia_mag_lezen(p.vertrouwelijkheid, p.synthetisch, l.via, l.organisatie_id, l.gemeente)
               AS zichtbaar,
           sia_mag_lezen_als(p.vertrouwelijkheid, p.synthetisch, l.via, l.organisatie_id, l.gemeente,
                             'lezer', NULL, p_gemeente) AS partners_leesbaar
    FROM projecten p
    JOIN l ON l.id = p.levering_id
    JOIN b ON ST_Intersects(b.geom, p.geom)
    WHERE p.levering_id = ANY(p_projecten)
      AND (ST_Dimension(p.geom) = 2 OR b.buurtcode = (
          SELECT min(x.buurtcode) FROM b x WHERE ST_Intersects(x.geom, p.geom)))
),
proj_agg AS (
    SELECT pr.buurtcode,
           sum(coalesce(investering_eur, 0) * aandeel) AS geplande_investering,
           sum(woningen_erbij * aandeel) AS geplande_woningen,
           sum(woningen_eraf * aandeel) AS geplande_sloop,
           count(*) AS n_projecten
    FROM pr WHERE aandeel >= 0.01 GROUP BY pr.buurtcode
),
pr_waarden AS (  -- what each hidden project adds to each sum of its buurt
    SELECT pr.buurtcode, pr.organisatie, pr.partners_leesbaar, v.veld, abs(v.waarde)::float8 AS waarde
    FROM pr CROSS JOIN LATERAL (VALUES ('geplande_investering', pr.investering_eur * pr.aandeel),
                                       ('geplande_woningen', pr.woningen_erbij * pr.aandeel),
                                       ('geplande_sloop', pr.woningen_eraf * pr.aandeel)) v (veld, waarde)
    WHERE pr.aandeel >= 0.01 AND NOT pr.zichtbaar AND v.waarde IS NOT NULL
),
pr_org AS (  -- per buurt, sum and delivering organisation
    SELECT w.buurtcode, w.veld, w.organisatie,
           count(*) AS n, sum(w.waarde) AS som, max(w.waarde) AS grootste,
           count(*) FILTER (WHERE NOT w.partners_leesbaar) AS n_eigen,
           coalesce(sum(w.waarde) FILTER (WHERE NOT w.partners_leesbaar), 0) AS som_eigen,
           coalesce(max(w.waarde) FILTER (WHERE NOT w.partners_leesbaar), 0) AS grootste_eigen
    FROM pr_waarden w GROUP BY w.buurtcode, w.veld, w.organisatie
),
proj_regels AS (
    SELECT x.buurtcode, jsonb_object_agg(x.veld, x.regel) FILTER (WHERE x.regel IS NOT NULL) AS regels
    FROM (SELECT o.buurtcode, o.veld,
                 sia_regel_som(array_agg(o.n ORDER BY o.organisatie), array_agg(o.som ORDER BY o.organisatie),
                               array_agg(o.grootste ORDER BY o.organisatie),
                               array_agg(o.n_eigen ORDER BY o.organisatie),
                               array_agg(o.som_eigen ORDER BY o.organisatie),
                               array_agg(o.grootste_eigen ORDER BY o.organisatie)) AS regel
          FROM pr_org o GROUP BY o.buurtcode, o.veld) x
    GROUP BY x.buurtcode
),
vk AS (
    SELECT h.buurtcode, v.corporatie
    FROM verkoop v
    JOIN LATERAL (SELECT x.buurtcode FROM buurten x  -- the table, so its spatial index is used
                  WHERE x.jaar = p_jaar AND x.gemeentecode = p_gemeente
                    AND ST_Intersects(x.geom, v.geom)
                  ORDER BY x.buurtcode LIMIT 1) h ON true
    WHERE v.geom IS NOT NULL AND v.levering_id = ANY(p_verkoop)
    UNION ALL
    SELECT c.buurtcode, v.corporatie
    FROM verkoop v JOIN code_in_jaar c ON v.buurtcode = c.code
    WHERE v.geom IS NULL AND c.buurtcode IS NOT NULL AND v.levering_id = ANY(p_verkoop)
),
verkoop_agg AS (
    SELECT vk.buurtcode, count(*) AS geplande_verkoop FROM vk GROUP BY vk.buurtcode
),
partners AS (
    SELECT x.buurtcode, count(DISTINCT x.partij) AS n_partners_plannen
    FROM (SELECT pr.buurtcode, pr.partij FROM pr WHERE aandeel >= 0.01
          UNION SELECT vk.buurtcode, vk.corporatie FROM vk) x
    GROUP BY x.buurtcode
),
alles AS (
    SELECT b.buurtcode, b.aantal_huishoudens, z.woningen, z.daeb, z.n_corporaties,
           (100.0 * z.efg / nullif(z.gelabeld, 0))::float8 AS aandeel_label_efg,  -- 0 %: none of E, F, G
           (z.conditie_som::float8 / nullif(z.conditie_n, 0)) AS gem_conditie,
           p.geplande_investering, p.geplande_woningen, p.geplande_sloop, p.n_projecten,
           v.geplande_verkoop, n.n_partners_plannen,
           jsonb_strip_nulls(jsonb_build_object(
               'aandeel_label_efg', z.regel_label,
               'gem_conditie', z.regel_conditie,
               'geplande_investering', q.regels -> 'geplande_investering',
               'investering_per_woning', q.regels -> 'geplande_investering',
               'geplande_woningen', q.regels -> 'geplande_woningen',
               'geplande_sloop', q.regels -> 'geplande_sloop')) AS regels
    FROM b
    LEFT JOIN bezit_agg z USING (buurtcode)
    LEFT JOIN proj_agg p USING (buurtcode)
    LEFT JOIN proj_regels q USING (buurtcode)
    LEFT JOIN verkoop_agg v USING (buurtcode)
    LEFT JOIN partners n USING (buurtcode)
)
SELECT a.buurtcode,
       coalesce(a.woningen, 0)::bigint,
       coalesce(a.daeb, 0)::bigint,
       coalesce(a.n_corporaties, 0)::bigint,
       CASE WHEN a.regels ? 'aandeel_label_efg' THEN NULL ELSE a.aandeel_label_efg END,
       CASE WHEN a.regels ? 'gem_conditie' THEN NULL ELSE a.gem_conditie END,
       CASE WHEN a.regels ? 'geplande_investering' THEN NULL
            ELSE coalesce(a.geplande_investering, 0) END,
       CASE WHEN a.regels ? 'investering_per_woning' THEN NULL
            ELSE coalesce(a.geplande_investering, 0) / nullif(a.aantal_huishoudens, 0) END,
       CASE WHEN a.regels ? 'geplande_woningen' THEN NULL ELSE coalesce(a.geplande_woningen, 0) END,
       CASE WHEN a.regels ? 'geplande_sloop' THEN NULL ELSE coalesce(a.geplande_sloop, 0) END,
       coalesce(a.n_projecten, 0)::bigint,
       coalesce(a.geplande_verkoop, 0)::bigint,
       coalesce(a.n_partners_plannen, 0)::bigint,
       a.regels
FROM alles a
ORDER BY a.buurtcode
$fn$;

-- Corporation holdings in the touched buurten p_codes of an area that the caller does not see as
-- address points, per buurt, for the caller to apportion by the buurt's share in the area
-- (layers.areas); the points the caller may read it counts itself, where they lie.
--   * records the caller may read that have no location (per-buurt counts): per corporation;
--   * records the caller may not read: the buurt's hidden part as one whole (`corporatie` NULL),
--     from the same records as the buurt figure and under the same verdict: a label or condition
--     figure the rule suppresses comes back empty, with the reason in `onderdrukt` (rule 5 above).
CREATE FUNCTION sia_gebied_bezit(p_gemeente text, p_jaar integer, p_bezit bigint[], p_codes text[])
RETURNS TABLE (
    buurtcode text,
    corporatie text,
    woningen double precision,
    efg double precision,
    gelabeld double precision,
    conditie_som double precision,
    conditie_n double precision,
    synthetisch boolean,
    onderdrukt jsonb
)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $fn$
SELECT r.buurtcode, r.corporatie,
       sum(r.aantal_woningen)::float8,
       coalesce(sum(r.aantal_woningen) FILTER (WHERE r.energielabel IN ('E', 'F', 'G')), 0)::float8,
       coalesce(sum(r.aantal_woningen) FILTER (WHERE r.energielabel IS NOT NULL), 0)::float8,
       coalesce(sum(r.conditie * r.aantal_woningen), 0)::float8,
       coalesce(sum(r.aantal_woningen) FILTER (WHERE r.conditie IS NOT NULL), 0)::float8,
       bool_or(r.synthetisch),
       '{}'::jsonb
FROM sia_bezit_in_buurten(p_gemeente, p_jaar, p_bezit, p_codes) r
WHERE r.leesbaar AND NOT r.punt
GROUP BY r.buurtcode, r.corporatie
UNION ALL
SELECT c.buurtcode, NULL,
       c.verborgen_woningen::float8,
       CASE WHEN c.regel_label IS NULL THEN c.verborgen_efg::float8 END,
       CASE WHEN c.regel_label IS NULL THEN c.verborgen_gelabeld::float8 END,
       CASE WHEN c.regel_conditie IS NULL THEN c.verborgen_conditie_som::float8 END,
       CASE WHEN c.regel_conditie IS NULL THEN c.verborgen_conditie_n::float8 END,
       c.verborgen_synthetisch,
       jsonb_strip_nulls(jsonb_build_object('aandeel_label_efg', c.regel_label,
                                            'gem_conditie', c.regel_conditie))
FROM sia_bezit_buurtcijfers(p_gemeente, p_jaar, p_bezit, p_codes) c
WHERE c.verborgen_woningen > 0
ORDER BY 1, 2 NULLS LAST
$fn$;

-- How many records of these delivery versions the caller may not read, per partner layer (the
-- map says how many are only shown summarised per buurt).
CREATE FUNCTION sia_verborgen(p_bezit bigint[], p_projecten bigint[], p_verkoop bigint[])
RETURNS TABLE (bezit bigint, projecten bigint, verkoop bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $fn$
WITH l AS MATERIALIZED (
    SELECT id, via, organisatie_id, gemeente FROM leveringen
    WHERE id = ANY(p_bezit) OR id = ANY(p_projecten) OR id = ANY(p_verkoop)
)
SELECT (SELECT count(*) FROM bezit x JOIN l ON l.id = x.levering_id
        WHERE x.levering_id = ANY(p_bezit)
          AND NOT sia_mag_lezen(x.vertrouwelijkheid, x.synthetisch, l.via, l.organisatie_id, l.gemeente)),
       (SELECT count(*) FROM projecten x JOIN l ON l.id = x.levering_id
        WHERE x.levering_id = ANY(p_projecten)
          AND NOT sia_mag_lezen(x.vertrouwelijkheid, x.synthetisch, l.via, l.organisatie_id, l.gemeente)),
       (SELECT count(*) FROM verkoop x JOIN l ON l.id = x.levering_id
        WHERE x.levering_id = ANY(p_verkoop)
          AND NOT sia_mag_lezen(x.vertrouwelijkheid, x.synthetisch, l.via, l.organisatie_id, l.gemeente))
$fn$;
