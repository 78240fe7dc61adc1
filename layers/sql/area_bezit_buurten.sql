-- Corporation holdings per buurt of the gemeente :gm and year :jaar that an area counts by the
-- buurt's share (sia_gebied_bezit, migration 0008), from the deliveries :ids (the period's view of
-- the layer bezit): per buurt the records the viewer may read that have no location, per
-- corporation, and the hidden part of the buurt as one whole (corporatie NULL) under the
-- disclosure rule. It does not depend on the area, so layers.areas reads it once per indicator
-- table (one view, one data version) and keeps the rows of the buurten an area touches.
SELECT 'buurt' AS bron, buurtcode, corporatie, woningen, efg, gelabeld, conditie_som, conditie_n,
       synthetisch, onderdrukt
FROM sia_gebied_bezit(:gm, :jaar, CAST(:ids AS bigint[]),
                      ARRAY(SELECT b.buurtcode FROM buurten b WHERE b.gemeentecode = :gm AND b.jaar = :jaar))
