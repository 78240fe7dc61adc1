-- Partner layers aggregated to the buurten of one gemeente and buurten year, from the
-- deliveries of a period's view (layers.periods): :bezit_ids, :projecten_ids, :verkoop_ids are
-- the delivery versions whose records count for each layer.
-- Points count in the buurt they lie in (a point on a border counts once: in the first of the
-- buurten it touches, by code); per-buurt counts by their buurtcode, or, for a code of another
-- buurten year, in the buurt of :jaar that holds that buurt's inner point; project polygons are
-- apportioned by the share of their area inside each buurt (area-weighted).
WITH b AS (
    SELECT buurtcode, buurtnaam, aantal_huishoudens, geom
    FROM buurten
    WHERE gemeentecode = :gemeente AND jaar = :jaar
),
code_in_jaar AS (
    -- every buurtcode of the gemeente in any loaded year → the buurt of :jaar it lies in
    SELECT DISTINCT ON (o.buurtcode) o.buurtcode AS code, coalesce(same.buurtcode, x.buurtcode) AS buurtcode
    FROM buurten o
    LEFT JOIN b same ON same.buurtcode = o.buurtcode
    LEFT JOIN LATERAL (SELECT y.buurtcode FROM b y WHERE ST_Intersects(y.geom, ST_PointOnSurface(o.geom))
                       ORDER BY y.buurtcode LIMIT 1) x ON same.buurtcode IS NULL
    WHERE o.gemeentecode = :gemeente
    ORDER BY o.buurtcode, (same.buurtcode IS NULL), o.jaar DESC
),
bz AS (
    -- two joins instead of one with OR, so that the spatial index is used
    SELECT h.buurtcode, z.corporatie, z.aantal_woningen, z.energielabel, z.conditie, z.daeb
    FROM bezit z
    JOIN LATERAL (SELECT x.buurtcode FROM buurten x  -- the table, so its spatial index is used
                  WHERE x.jaar = :jaar AND x.gemeentecode = :gemeente
                    AND ST_Intersects(x.geom, z.geom)
                  ORDER BY x.buurtcode LIMIT 1) h ON true
    WHERE z.geom IS NOT NULL AND z.levering_id = ANY(:bezit_ids)
    UNION ALL
    SELECT c.buurtcode, z.corporatie, z.aantal_woningen, z.energielabel, z.conditie, z.daeb
    FROM bezit z JOIN code_in_jaar c ON z.buurtcode = c.code
    WHERE z.geom IS NULL AND c.buurtcode IS NOT NULL AND z.levering_id = ANY(:bezit_ids)
),
bezit_agg AS (
    SELECT buurtcode,
           sum(aantal_woningen) AS bezit_woningen,
           sum(aantal_woningen) FILTER (WHERE daeb) AS bezit_daeb,
           count(DISTINCT corporatie) AS n_corporaties,
           (100.0 * sum(aantal_woningen) FILTER (WHERE energielabel IN ('E', 'F', 'G'))
               / nullif(sum(aantal_woningen) FILTER (WHERE energielabel IS NOT NULL), 0))::float8
               AS aandeel_label_efg,
           sum(conditie * aantal_woningen)::float8
               / nullif(sum(aantal_woningen) FILTER (WHERE conditie IS NOT NULL), 0) AS gem_conditie
    FROM bz GROUP BY buurtcode
),
per_corp AS (
    SELECT buurtcode, jsonb_object_agg(corporatie, n) AS woningen_per_corporatie
    FROM (SELECT buurtcode, corporatie, sum(aantal_woningen) AS n FROM bz
          GROUP BY buurtcode, corporatie) x
    GROUP BY buurtcode
),
pr AS (
    SELECT b.buurtcode, p.partij, p.investering_eur, p.woningen_erbij, p.woningen_eraf,
           CASE WHEN ST_Dimension(p.geom) = 2
                THEN ST_Area(ST_Intersection(b.geom, p.geom)) / nullif(ST_Area(p.geom), 0)
                ELSE 1.0 END AS aandeel
    FROM projecten p
    JOIN b ON ST_Intersects(b.geom, p.geom)
    WHERE p.levering_id = ANY(:projecten_ids)
      AND (ST_Dimension(p.geom) = 2 OR b.buurtcode = (
          SELECT min(x.buurtcode) FROM b x WHERE ST_Intersects(x.geom, p.geom)))
),
proj_agg AS (
    SELECT buurtcode,
           sum(coalesce(investering_eur, 0) * aandeel) AS geplande_investering,
           sum(woningen_erbij * aandeel) AS geplande_woningen,
           sum(woningen_eraf * aandeel) AS geplande_sloop,
           count(*) AS n_projecten
    FROM pr WHERE aandeel >= 0.01 GROUP BY buurtcode
),
vk AS (
    SELECT h.buurtcode, v.corporatie, v.energielabel, v.conditie, v.kluswoning,
           v.gemeld_aan_gemeente
    FROM verkoop v
    JOIN LATERAL (SELECT x.buurtcode FROM buurten x  -- the table, so its spatial index is used
                  WHERE x.jaar = :jaar AND x.gemeentecode = :gemeente
                    AND ST_Intersects(x.geom, v.geom)
                  ORDER BY x.buurtcode LIMIT 1) h ON true
    WHERE v.geom IS NOT NULL AND v.levering_id = ANY(:verkoop_ids)
    UNION ALL
    SELECT c.buurtcode, v.corporatie, v.energielabel, v.conditie, v.kluswoning,
           v.gemeld_aan_gemeente
    FROM verkoop v JOIN code_in_jaar c ON v.buurtcode = c.code
    WHERE v.geom IS NULL AND c.buurtcode IS NOT NULL AND v.levering_id = ANY(:verkoop_ids)
),
verkoop_agg AS (
    SELECT buurtcode, count(*) AS geplande_verkoop FROM vk GROUP BY buurtcode
),
partners AS (
    SELECT buurtcode, count(DISTINCT partij) AS n_partners_plannen
    FROM (SELECT buurtcode, partij FROM pr WHERE aandeel >= 0.01
          UNION SELECT buurtcode, corporatie FROM vk) x
    GROUP BY buurtcode
)
SELECT b.buurtcode,
       coalesce(z.bezit_woningen, 0) AS bezit_woningen,
       coalesce(z.bezit_daeb, 0) AS bezit_daeb,
       coalesce(z.n_corporaties, 0) AS n_corporaties,
       z.aandeel_label_efg,
       z.gem_conditie,
       coalesce(c.woningen_per_corporatie, '{}'::jsonb) AS woningen_per_corporatie,
       coalesce(p.geplande_investering, 0) AS geplande_investering,
       coalesce(p.geplande_investering, 0) / nullif(b.aantal_huishoudens, 0)
           AS investering_per_woning,
       coalesce(p.geplande_woningen, 0) AS geplande_woningen,
       coalesce(p.geplande_sloop, 0) AS geplande_sloop,
       coalesce(p.n_projecten, 0) AS n_projecten,
       coalesce(v.geplande_verkoop, 0) AS geplande_verkoop,
       coalesce(n.n_partners_plannen, 0) AS n_partners_plannen
FROM b
LEFT JOIN bezit_agg z USING (buurtcode)
LEFT JOIN per_corp c USING (buurtcode)
LEFT JOIN proj_agg p USING (buurtcode)
LEFT JOIN verkoop_agg v USING (buurtcode)
LEFT JOIN partners n USING (buurtcode)
ORDER BY b.buurtcode
