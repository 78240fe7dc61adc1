-- Migration 0008, part two: the disclosure rule for aggregates ("openbaar, tenzij", DESIGN.md).
--
-- Row-level security lets the application role read only the records its principal may see.
-- The figures per buurt (the indicator table) and of a drawn area are nevertheless computed over
-- *every* record of a period's view: the partners agreed that confidential data count in
-- aggregates, as long as no aggregate reveals a single dwelling or project. These functions do
-- that work as the owner of the tables (SECURITY DEFINER) and return aggregates only, after the
-- rule below; nothing else of a hidden record leaves them. The application role may execute
-- them and nothing more (EXECUTE revoked from PUBLIC).
--
-- The rule (one place; the thresholds are the constants of sia_openbaarmakingsregel, which
-- layers/disclosure.py names in its texts and a test compares):
--   * the part of an aggregate the viewer may not read record by record ("hidden": records
--     sia_mag_lezen refuses) must be empty or large enough. A viewer who sees some of the records
--     could subtract them, so the rule applies to the hidden part; for the public, who sees no
--     real record, that is the whole aggregate:
--   * shares and means (share of labels E/F/G, mean condition): suppressed when the hidden part
--     holds 1 to 4 dwellings that carry the value (fewer than min_woningen);
--   * sums over projects (planned investment, dwellings added, dwellings removed): suppressed
--     when the hidden part comes from 1 or 2 projects that carry the value (fewer than
--     min_projecten), or when one hidden project is more than dominantie (85 %) of the hidden sum
--     (the CBS (1, 85) dominance rule);
--   * counts (dwellings, corporations, projects, planned sales, partners) are not suppressed.
-- Each function says per buurt which value it suppressed and why (onderdrukt: value → reason).

CREATE FUNCTION sia_openbaarmakingsregel() RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT jsonb_build_object('min_woningen', 5, 'min_projecten', 3, 'dominantie', 0.85)
$$;

-- reason to suppress a share or mean whose hidden part holds `verborgen` dwellings with a value
CREATE FUNCTION sia_regel_aandeel(verborgen numeric) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN verborgen > 0
                 AND verborgen < (sia_openbaarmakingsregel() ->> 'min_woningen')::numeric
                THEN 'minder_dan_min_woningen' END
$$;

-- reason to suppress a sum whose hidden part comes from `n` projects with a value, adding up to
-- `som` (of absolute contributions) with `grootste` the largest
CREATE FUNCTION sia_regel_som(n bigint, som double precision, grootste double precision) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN n > 0 AND n < (sia_openbaarmakingsregel() ->> 'min_projecten')::int
                THEN 'minder_dan_min_projecten'
                WHEN n > 0 AND som > 0
                 AND grootste > (sia_openbaarmakingsregel() ->> 'dominantie')::float8 * som
                THEN 'dominantie' END
$$;

-- Partner indicators per buurt of one gemeente and buurten year, from the deliveries of a
-- period's view (layers.periods): p_bezit, p_projecten, p_verkoop are the delivery versions whose
-- records count for each layer. Points count in the buurt they lie in (a point on a border counts
-- once: in the first of the buurten it touches, by code); per-buurt counts by their buurtcode, or,
-- for a code of another buurten year, in the buurt of p_jaar that holds that buurt's inner point;
-- project polygons are apportioned by the share of their area inside each buurt.
CREATE FUNCTION sia_partner_aggregaten(
    p_gemeente text, p_jaar integer, p_bezit bigint[], p_projecten bigint[], p_verkoop bigint[]
) RETURNS TABLE (
    buurtcode text,
    bezit_woningen bigint,
    bezit_daeb bigint,
    n_corporaties bigint,
    aandeel_label_efg double precision,
    gem_conditie double precision,
    woningen_per_corporatie jsonb,
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
    SELECT id, via, organisatie_id, gemeente FROM leveringen
    WHERE id = ANY(p_bezit) OR id = ANY(p_projecten) OR id = ANY(p_verkoop)
),
bz AS (
    SELECT h.buurtcode, z.corporatie, z.aantal_woningen, z.energielabel, z.conditie, z.daeb,
           sia_mag_lezen(z.vertrouwelijkheid, z.synthetisch, l.via, l.organisatie_id, l.gemeente)
               AS zichtbaar
    FROM bezit z
    JOIN l ON l.id = z.levering_id
    JOIN LATERAL (SELECT x.buurtcode FROM buurten x  -- the table, so its spatial index is used
                  WHERE x.jaar = p_jaar AND x.gemeentecode = p_gemeente
                    AND ST_Intersects(x.geom, z.geom)
                  ORDER BY x.buurtcode LIMIT 1) h ON true
    WHERE z.geom IS NOT NULL AND z.levering_id = ANY(p_bezit)
    UNION ALL
    SELECT c.buurtcode, z.corporatie, z.aantal_woningen, z.energielabel, z.conditie, z.daeb,
           sia_mag_lezen(z.vertrouwelijkheid, z.synthetisch, l.via, l.organisatie_id, l.gemeente)
    FROM bezit z JOIN l ON l.id = z.levering_id JOIN code_in_jaar c ON z.buurtcode = c.code
    WHERE z.geom IS NULL AND c.buurtcode IS NOT NULL AND z.levering_id = ANY(p_bezit)
),
bezit_agg AS (
    SELECT bz.buurtcode,
           sum(aantal_woningen) AS bezit_woningen,
           sum(aantal_woningen) FILTER (WHERE daeb) AS bezit_daeb,
           count(DISTINCT corporatie) AS n_corporaties,
           (100.0 * coalesce(sum(aantal_woningen) FILTER (WHERE energielabel IN ('E', 'F', 'G')), 0)
               / nullif(sum(aantal_woningen) FILTER (WHERE energielabel IS NOT NULL), 0))::float8
               AS aandeel_label_efg,  -- 0 % when labelled dwellings have none of E, F, G
           sum(conditie * aantal_woningen)::float8
               / nullif(sum(aantal_woningen) FILTER (WHERE conditie IS NOT NULL), 0) AS gem_conditie,
           sia_regel_aandeel(sum(aantal_woningen) FILTER (WHERE NOT zichtbaar AND energielabel IS NOT NULL))
               AS regel_label,
           sia_regel_aandeel(sum(aantal_woningen) FILTER (WHERE NOT zichtbaar AND conditie IS NOT NULL))
               AS regel_conditie
    FROM bz GROUP BY bz.buurtcode
),
per_corp AS (
    SELECT x.buurtcode, jsonb_object_agg(x.corporatie, x.n) AS woningen_per_corporatie
    FROM (SELECT bz.buurtcode, bz.corporatie, sum(bz.aantal_woningen) AS n FROM bz
          GROUP BY bz.buurtcode, bz.corporatie) x
    GROUP BY x.buurtcode
),
pr AS (
    SELECT b.buurtcode, p.partij, p.investering_eur, p.woningen_erbij, p.woningen_eraf,
           CASE WHEN ST_Dimension(p.geom) = 2
                THEN ST_Area(ST_Intersection(b.geom, p.geom)) / nullif(ST_Area(p.geom), 0)
                ELSE 1.0 END AS aandeel,
           sia_mag_lezen(p.vertrouwelijkheid, p.synthetisch, l.via, l.organisatie_id, l.gemeente)
               AS zichtbaar
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
           count(*) AS n_projecten,
           sia_regel_som(count(*) FILTER (WHERE NOT zichtbaar AND investering_eur IS NOT NULL),
                         sum(abs(investering_eur * aandeel)) FILTER (WHERE NOT zichtbaar),
                         max(abs(investering_eur * aandeel)) FILTER (WHERE NOT zichtbaar))
               AS regel_investering,
           sia_regel_som(count(*) FILTER (WHERE NOT zichtbaar AND woningen_erbij IS NOT NULL),
                         sum(abs(woningen_erbij * aandeel)) FILTER (WHERE NOT zichtbaar),
                         max(abs(woningen_erbij * aandeel)) FILTER (WHERE NOT zichtbaar))
               AS regel_erbij,
           sia_regel_som(count(*) FILTER (WHERE NOT zichtbaar AND woningen_eraf IS NOT NULL),
                         sum(abs(woningen_eraf * aandeel)) FILTER (WHERE NOT zichtbaar),
                         max(abs(woningen_eraf * aandeel)) FILTER (WHERE NOT zichtbaar))
               AS regel_eraf
    FROM pr WHERE aandeel >= 0.01 GROUP BY pr.buurtcode
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
    SELECT b.buurtcode, b.aantal_huishoudens, z.bezit_woningen, z.bezit_daeb, z.n_corporaties,
           z.aandeel_label_efg, z.gem_conditie, c.woningen_per_corporatie, p.geplande_investering,
           p.geplande_woningen, p.geplande_sloop, p.n_projecten, v.geplande_verkoop,
           n.n_partners_plannen,
           jsonb_strip_nulls(jsonb_build_object(
               'aandeel_label_efg', z.regel_label,
               'gem_conditie', z.regel_conditie,
               'geplande_investering', p.regel_investering,
               'investering_per_woning', p.regel_investering,
               'geplande_woningen', p.regel_erbij,
               'geplande_sloop', p.regel_eraf)) AS regels
    FROM b
    LEFT JOIN bezit_agg z USING (buurtcode)
    LEFT JOIN per_corp c USING (buurtcode)
    LEFT JOIN proj_agg p USING (buurtcode)
    LEFT JOIN verkoop_agg v USING (buurtcode)
    LEFT JOIN partners n USING (buurtcode)
)
SELECT a.buurtcode,
       coalesce(a.bezit_woningen, 0)::bigint,
       coalesce(a.bezit_daeb, 0)::bigint,
       coalesce(a.n_corporaties, 0)::bigint,
       CASE WHEN a.regels ? 'aandeel_label_efg' THEN NULL ELSE a.aandeel_label_efg END,
       CASE WHEN a.regels ? 'gem_conditie' THEN NULL ELSE a.gem_conditie END,
       coalesce(a.woningen_per_corporatie, '{}'::jsonb),
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
-- address points: records without a location (by their buurtcode) and points the caller may not
-- read (in the first buurt they touch, by code). Per buurt and corporation, so the caller can
-- apportion them by the buurt's share (layers.areas); label and condition figures whose hidden
-- part breaks the rule come back empty, with the reason in `onderdrukt`.
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
WITH l AS MATERIALIZED (
    SELECT id, via, organisatie_id, gemeente FROM leveringen WHERE id = ANY(p_bezit)
),
b AS (
    SELECT x.buurtcode, x.geom FROM buurten x
    WHERE x.gemeentecode = p_gemeente AND x.jaar = p_jaar AND x.buurtcode = ANY(p_codes)
),
r AS MATERIALIZED (
    SELECT x.*, sia_mag_lezen(x.vertrouwelijkheid, x.synthetisch, l.via, l.organisatie_id, l.gemeente)
               AS zichtbaar
    FROM bezit x JOIN l ON l.id = x.levering_id
),
rec AS (
    SELECT b.buurtcode, r.corporatie, r.aantal_woningen, r.energielabel, r.conditie, r.synthetisch,
           r.zichtbaar
    FROM r JOIN b ON r.buurtcode = b.buurtcode
    WHERE r.geom IS NULL
    UNION ALL
    SELECT b.buurtcode, r.corporatie, r.aantal_woningen, r.energielabel, r.conditie, r.synthetisch,
           r.zichtbaar
    FROM b JOIN r ON ST_Intersects(b.geom, r.geom)
    WHERE r.geom IS NOT NULL AND NOT r.zichtbaar
      AND (ST_Contains(b.geom, r.geom)
           OR NOT EXISTS (SELECT 1 FROM buurten y
                          WHERE y.gemeentecode = p_gemeente AND y.jaar = p_jaar
                            AND y.buurtcode < b.buurtcode AND ST_Intersects(y.geom, r.geom)))
),
agg AS (
    SELECT rec.buurtcode, rec.corporatie,
           sum(aantal_woningen)::float8 AS woningen,
           coalesce(sum(aantal_woningen) FILTER (WHERE energielabel IN ('E', 'F', 'G')), 0)::float8 AS efg,
           coalesce(sum(aantal_woningen) FILTER (WHERE energielabel IS NOT NULL), 0)::float8 AS gelabeld,
           coalesce(sum(conditie * aantal_woningen) FILTER (WHERE conditie IS NOT NULL), 0)::float8
               AS conditie_som,
           coalesce(sum(aantal_woningen) FILTER (WHERE conditie IS NOT NULL), 0)::float8 AS conditie_n,
           bool_or(rec.synthetisch) AS synthetisch,
           jsonb_strip_nulls(jsonb_build_object(
               'aandeel_label_efg', sia_regel_aandeel(
                   sum(aantal_woningen) FILTER (WHERE NOT zichtbaar AND energielabel IS NOT NULL)),
               'gem_conditie', sia_regel_aandeel(
                   sum(aantal_woningen) FILTER (WHERE NOT zichtbaar AND conditie IS NOT NULL))))
               AS regels
    FROM rec GROUP BY rec.buurtcode, rec.corporatie
)
SELECT a.buurtcode, a.corporatie, a.woningen,
       CASE WHEN a.regels ? 'aandeel_label_efg' THEN NULL ELSE a.efg END,
       CASE WHEN a.regels ? 'aandeel_label_efg' THEN NULL ELSE a.gelabeld END,
       CASE WHEN a.regels ? 'gem_conditie' THEN NULL ELSE a.conditie_som END,
       CASE WHEN a.regels ? 'gem_conditie' THEN NULL ELSE a.conditie_n END,
       a.synthetisch, a.regels
FROM agg a
ORDER BY a.buurtcode, a.corporatie
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
