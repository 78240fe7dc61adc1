-- Per buurt of :gm and :jaar the dwellings at the address points the viewer may see (row-level
-- security; sia_mag_lezen stated as well, see area_buurten.sql) of the deliveries :bezit_ids, a
-- point on a buurt border counted in the first buurt it touches, by code (as area_buurten.sql and
-- sia_partner_aggregaten). What a partial buurt's dwellings inside an area are compared with; it
-- does not depend on the area, so layers.areas reads it once per indicator table and viewer.
WITH l AS MATERIALIZED (
    SELECT id, via, organisatie_id, gemeente FROM leveringen WHERE id = ANY(CAST(:bezit_ids AS bigint[]))
)
SELECT b.buurtcode, sum(x.aantal_woningen) AS adres_totaal
FROM buurten b
JOIN bezit x ON ST_Intersects(b.geom, x.geom)
JOIN l ON l.id = x.levering_id
WHERE b.gemeentecode = :gm AND b.jaar = :jaar
  AND sia_mag_lezen(x.vertrouwelijkheid, x.synthetisch, l.via, l.organisatie_id, l.gemeente)
  AND (ST_Contains(b.geom, x.geom)
       OR NOT EXISTS (SELECT 1 FROM buurten y
                      WHERE y.gemeentecode = :gm AND y.jaar = :jaar AND y.buurtcode < b.buurtcode
                        AND ST_Intersects(y.geom, x.geom)))
GROUP BY b.buurtcode
