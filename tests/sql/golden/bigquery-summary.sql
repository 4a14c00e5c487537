WITH cells AS (
  SELECT NULLIF(TRIM(CAST(`student_id` AS STRING)), '') AS id,
    COALESCE(NULLIF(TRIM(CAST(`section` AS STRING)), ''), '') AS section,
    NULLIF(TRIM(CAST(`student_id` AS STRING)), '') AS f0,
    NULLIF(TRIM(CAST(`name` AS STRING)), '') AS f1,
    NULLIF(TRIM(CAST(`section` AS STRING)), '') AS f2,
    CAST(NULL AS STRING) AS f3,
    NULLIF(TRIM(CAST(`screening_pctl` AS STRING)), '') AS f4,
    NULLIF(TRIM(CAST(`NBT_1` AS STRING)), '') AS x0,
    NULLIF(TRIM(CAST(`NBT_2` AS STRING)), '') AS x1,
    NULLIF(TRIM(CAST(`NF_1` AS STRING)), '') AS x2,
    NULLIF(TRIM(CAST(`NF_2` AS STRING)), '') AS x3,
    NULLIF(TRIM(CAST(`OA_1` AS STRING)), '') AS x4,
    NULLIF(TRIM(CAST(`MD_1` AS STRING)), '') AS x5,
    NULLIF(TRIM(CAST(`name` AS STRING)), '') AS name
  FROM `district`.`results`
  WHERE NULLIF(TRIM(CAST(`student_id` AS STRING)), '') IS NOT NULL
),
readings AS (
  SELECT cells.*,
    CASE WHEN f4 IS NULL THEN NULL WHEN REGEXP_CONTAINS(f4, '^([+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?)$') THEN CAST(f4 AS FLOAT64) WHEN REGEXP_CONTAINS(f4, '^([+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?\\s*%)$') THEN CAST(TRIM(rtrim(f4, '%')) AS FLOAT64) ELSE CAST(ERROR('tierplan: not a number: ' || f4) AS FLOAT64) END AS n4,
    CASE
      WHEN x0 IS NULL THEN NULL
      WHEN REGEXP_CONTAINS(x0, '^([+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?\\s*/\\s*[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?)$') THEN CASE WHEN CAST(TRIM(SPLIT(x0, '/')[SAFE_OFFSET(1)]) AS FLOAT64) <= 0 THEN CAST(ERROR('tierplan: a score out of 0 points: ' || x0) AS FLOAT64) WHEN CAST(TRIM(SPLIT(x0, '/')[SAFE_OFFSET(0)]) AS FLOAT64) > CAST(TRIM(SPLIT(x0, '/')[SAFE_OFFSET(1)]) AS FLOAT64) THEN CAST(ERROR('tierplan: more points than the maximum: ' || x0) AS FLOAT64) ELSE CAST(TRIM(SPLIT(x0, '/')[SAFE_OFFSET(0)]) AS FLOAT64) / CAST(TRIM(SPLIT(x0, '/')[SAFE_OFFSET(1)]) AS FLOAT64) * 100 END
      WHEN REGEXP_CONTAINS(x0, '^([+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?\\s*%)$') THEN CAST(TRIM(rtrim(x0, '%')) AS FLOAT64)
      WHEN REGEXP_CONTAINS(x0, '^([+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?)$') THEN CAST(x0 AS FLOAT64)
      ELSE CAST(ERROR('tierplan: not a score: ' || x0) AS FLOAT64)
    END AS r0,
    CASE
      WHEN x1 IS NULL THEN NULL
      WHEN REGEXP_CONTAINS(x1, '^([+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?\\s*/\\s*[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?)$') THEN CASE WHEN CAST(TRIM(SPLIT(x1, '/')[SAFE_OFFSET(1)]) AS FLOAT64) <= 0 THEN CAST(ERROR('tierplan: a score out of 0 points: ' || x1) AS FLOAT64) WHEN CAST(TRIM(SPLIT(x1, '/')[SAFE_OFFSET(0)]) AS FLOAT64) > CAST(TRIM(SPLIT(x1, '/')[SAFE_OFFSET(1)]) AS FLOAT64) THEN CAST(ERROR('tierplan: more points than the maximum: ' || x1) AS FLOAT64) ELSE CAST(TRIM(SPLIT(x1, '/')[SAFE_OFFSET(0)]) AS FLOAT64) / CAST(TRIM(SPLIT(x1, '/')[SAFE_OFFSET(1)]) AS FLOAT64) * 100 END
      WHEN REGEXP_CONTAINS(x1, '^([+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?\\s*%)$') THEN CAST(TRIM(rtrim(x1, '%')) AS FLOAT64)
      WHEN REGEXP_CONTAINS(x1, '^([+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?)$') THEN CAST(x1 AS FLOAT64)
      ELSE CAST(ERROR('tierplan: not a score: ' || x1) AS FLOAT64)
    END AS r1,
    CASE
      WHEN x2 IS NULL THEN NULL
      WHEN REGEXP_CONTAINS(x2, '^([+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?\\s*/\\s*[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?)$') THEN CASE WHEN CAST(TRIM(SPLIT(x2, '/')[SAFE_OFFSET(1)]) AS FLOAT64) <= 0 THEN CAST(ERROR('tierplan: a score out of 0 points: ' || x2) AS FLOAT64) WHEN CAST(TRIM(SPLIT(x2, '/')[SAFE_OFFSET(0)]) AS FLOAT64) > CAST(TRIM(SPLIT(x2, '/')[SAFE_OFFSET(1)]) AS FLOAT64) THEN CAST(ERROR('tierplan: more points than the maximum: ' || x2) AS FLOAT64) ELSE CAST(TRIM(SPLIT(x2, '/')[SAFE_OFFSET(0)]) AS FLOAT64) / CAST(TRIM(SPLIT(x2, '/')[SAFE_OFFSET(1)]) AS FLOAT64) * 100 END
      WHEN REGEXP_CONTAINS(x2, '^([+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?\\s*%)$') THEN CAST(TRIM(rtrim(x2, '%')) AS FLOAT64)
      WHEN REGEXP_CONTAINS(x2, '^([+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?)$') THEN CAST(x2 AS FLOAT64)
      ELSE CAST(ERROR('tierplan: not a score: ' || x2) AS FLOAT64)
    END AS r2,
    CASE
      WHEN x3 IS NULL THEN NULL
      WHEN REGEXP_CONTAINS(x3, '^([+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?\\s*/\\s*[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?)$') THEN CASE WHEN CAST(TRIM(SPLIT(x3, '/')[SAFE_OFFSET(1)]) AS FLOAT64) <= 0 THEN CAST(ERROR('tierplan: a score out of 0 points: ' || x3) AS FLOAT64) WHEN CAST(TRIM(SPLIT(x3, '/')[SAFE_OFFSET(0)]) AS FLOAT64) > CAST(TRIM(SPLIT(x3, '/')[SAFE_OFFSET(1)]) AS FLOAT64) THEN CAST(ERROR('tierplan: more points than the maximum: ' || x3) AS FLOAT64) ELSE CAST(TRIM(SPLIT(x3, '/')[SAFE_OFFSET(0)]) AS FLOAT64) / CAST(TRIM(SPLIT(x3, '/')[SAFE_OFFSET(1)]) AS FLOAT64) * 100 END
      WHEN REGEXP_CONTAINS(x3, '^([+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?\\s*%)$') THEN CAST(TRIM(rtrim(x3, '%')) AS FLOAT64)
      WHEN REGEXP_CONTAINS(x3, '^([+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?)$') THEN CAST(x3 AS FLOAT64)
      ELSE CAST(ERROR('tierplan: not a score: ' || x3) AS FLOAT64)
    END AS r3,
    CASE
      WHEN x4 IS NULL THEN NULL
      WHEN REGEXP_CONTAINS(x4, '^([+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?\\s*/\\s*[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?)$') THEN CASE WHEN CAST(TRIM(SPLIT(x4, '/')[SAFE_OFFSET(1)]) AS FLOAT64) <= 0 THEN CAST(ERROR('tierplan: a score out of 0 points: ' || x4) AS FLOAT64) WHEN CAST(TRIM(SPLIT(x4, '/')[SAFE_OFFSET(0)]) AS FLOAT64) > CAST(TRIM(SPLIT(x4, '/')[SAFE_OFFSET(1)]) AS FLOAT64) THEN CAST(ERROR('tierplan: more points than the maximum: ' || x4) AS FLOAT64) ELSE CAST(TRIM(SPLIT(x4, '/')[SAFE_OFFSET(0)]) AS FLOAT64) / CAST(TRIM(SPLIT(x4, '/')[SAFE_OFFSET(1)]) AS FLOAT64) * 100 END
      WHEN REGEXP_CONTAINS(x4, '^([+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?\\s*%)$') THEN CAST(TRIM(rtrim(x4, '%')) AS FLOAT64)
      WHEN REGEXP_CONTAINS(x4, '^([+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?)$') THEN CAST(x4 AS FLOAT64)
      ELSE CAST(ERROR('tierplan: not a score: ' || x4) AS FLOAT64)
    END AS r4,
    CASE
      WHEN x5 IS NULL THEN NULL
      WHEN REGEXP_CONTAINS(x5, '^([+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?\\s*/\\s*[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?)$') THEN CASE WHEN CAST(TRIM(SPLIT(x5, '/')[SAFE_OFFSET(1)]) AS FLOAT64) <= 0 THEN CAST(ERROR('tierplan: a score out of 0 points: ' || x5) AS FLOAT64) WHEN CAST(TRIM(SPLIT(x5, '/')[SAFE_OFFSET(0)]) AS FLOAT64) > CAST(TRIM(SPLIT(x5, '/')[SAFE_OFFSET(1)]) AS FLOAT64) THEN CAST(ERROR('tierplan: more points than the maximum: ' || x5) AS FLOAT64) ELSE CAST(TRIM(SPLIT(x5, '/')[SAFE_OFFSET(0)]) AS FLOAT64) / CAST(TRIM(SPLIT(x5, '/')[SAFE_OFFSET(1)]) AS FLOAT64) * 100 END
      WHEN REGEXP_CONTAINS(x5, '^([+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?\\s*%)$') THEN CAST(TRIM(rtrim(x5, '%')) AS FLOAT64)
      WHEN REGEXP_CONTAINS(x5, '^([+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?)$') THEN CAST(x5 AS FLOAT64)
      ELSE CAST(ERROR('tierplan: not a score: ' || x5) AS FLOAT64)
    END AS r5
  FROM cells
),
students AS (
  SELECT id,
    name,
    section,
    f0,
    f1,
    f2,
    f3,
    f4,
    n4,
    CASE WHEN r0 < 0 OR r0 > 100 THEN CAST(ERROR('tierplan: a score outside 0 to 100: ' || x0) AS FLOAT64) ELSE r0 + 0 END AS s0,
    CASE WHEN r1 < 0 OR r1 > 100 THEN CAST(ERROR('tierplan: a score outside 0 to 100: ' || x1) AS FLOAT64) ELSE r1 + 0 END AS s1,
    CASE WHEN r2 < 0 OR r2 > 100 THEN CAST(ERROR('tierplan: a score outside 0 to 100: ' || x2) AS FLOAT64) ELSE r2 + 0 END AS s2,
    CASE WHEN r3 < 0 OR r3 > 100 THEN CAST(ERROR('tierplan: a score outside 0 to 100: ' || x3) AS FLOAT64) ELSE r3 + 0 END AS s3,
    CASE WHEN r4 < 0 OR r4 > 100 THEN CAST(ERROR('tierplan: a score outside 0 to 100: ' || x4) AS FLOAT64) ELSE r4 + 0 END AS s4,
    CASE WHEN r5 < 0 OR r5 > 100 THEN CAST(ERROR('tierplan: a score outside 0 to 100: ' || x5) AS FLOAT64) ELSE r5 + 0 END AS s5
  FROM readings
),
sections AS (
  SELECT section,
    COUNT(*) AS students,
    COUNT(s0) AS a0,
    COUNT(CASE WHEN s0 < CAST('80.0' AS FLOAT64) THEN 1 END) AS b0,
    SUM(s0) AS m0,
    COUNT(s1) AS a1,
    COUNT(CASE WHEN s1 < CAST('80.0' AS FLOAT64) THEN 1 END) AS b1,
    SUM(s1) AS m1,
    COUNT(s2) AS a2,
    COUNT(CASE WHEN s2 < CAST('80.0' AS FLOAT64) THEN 1 END) AS b2,
    SUM(s2) AS m2,
    COUNT(s3) AS a3,
    COUNT(CASE WHEN s3 < CAST('80.0' AS FLOAT64) THEN 1 END) AS b3,
    SUM(s3) AS m3,
    COUNT(s4) AS a4,
    COUNT(CASE WHEN s4 < CAST('80.0' AS FLOAT64) THEN 1 END) AS b4,
    SUM(s4) AS m4,
    COUNT(s5) AS a5,
    COUNT(CASE WHEN s5 < CAST('80.0' AS FLOAT64) THEN 1 END) AS b5,
    SUM(s5) AS m5
  FROM students
  GROUP BY section
),
classes AS (
  SELECT sections.*,
    COALESCE((((CAST(b0 AS FLOAT64) / NULLIF(CAST(a0 AS FLOAT64), 0)) >= CAST('0.5' AS FLOAT64)) AND (CAST(a0 AS FLOAT64) >= CAST('10.0' AS FLOAT64))), FALSE) AS w0,
    COALESCE((((CAST(b1 AS FLOAT64) / NULLIF(CAST(a1 AS FLOAT64), 0)) >= CAST('0.5' AS FLOAT64)) AND (CAST(a1 AS FLOAT64) >= CAST('10.0' AS FLOAT64))), FALSE) AS w1,
    COALESCE((((CAST(b2 AS FLOAT64) / NULLIF(CAST(a2 AS FLOAT64), 0)) >= CAST('0.5' AS FLOAT64)) AND (CAST(a2 AS FLOAT64) >= CAST('10.0' AS FLOAT64))), FALSE) AS w2,
    COALESCE((((CAST(b3 AS FLOAT64) / NULLIF(CAST(a3 AS FLOAT64), 0)) >= CAST('0.5' AS FLOAT64)) AND (CAST(a3 AS FLOAT64) >= CAST('10.0' AS FLOAT64))), FALSE) AS w3,
    COALESCE((((CAST(b4 AS FLOAT64) / NULLIF(CAST(a4 AS FLOAT64), 0)) >= CAST('0.5' AS FLOAT64)) AND (CAST(a4 AS FLOAT64) >= CAST('10.0' AS FLOAT64))), FALSE) AS w4,
    COALESCE((((CAST(b5 AS FLOAT64) / NULLIF(CAST(a5 AS FLOAT64), 0)) >= CAST('0.5' AS FLOAT64)) AND (CAST(a5 AS FLOAT64) >= CAST('10.0' AS FLOAT64))), FALSE) AS w5
  FROM sections
),
joined AS (
  SELECT students.*, classes.students, classes.a0, classes.b0, classes.m0, classes.w0, classes.a1, classes.b1, classes.m1, classes.w1, classes.a2, classes.b2, classes.m2, classes.w2, classes.a3, classes.b3, classes.m3, classes.w3, classes.a4, classes.b4, classes.m4, classes.w4, classes.a5, classes.b5, classes.m5, classes.w5
  FROM students JOIN classes ON students.section = classes.section
),
tested AS (
  SELECT joined.*,
    (CAST(((CASE WHEN s0 IS NULL THEN 0 ELSE 1 END) + (CASE WHEN s1 IS NULL THEN 0 ELSE 1 END) + (CASE WHEN s2 IS NULL THEN 0 ELSE 1 END) + (CASE WHEN s3 IS NULL THEN 0 ELSE 1 END) + (CASE WHEN s4 IS NULL THEN 0 ELSE 1 END) + (CASE WHEN s5 IS NULL THEN 0 ELSE 1 END)) AS FLOAT64) = CAST('0.0' AS FLOAT64)) AS t0,
    (n4 <= CAST('10.0' AS FLOAT64)) AS t1,
    (n4 <= CAST('25.0' AS FLOAT64)) AS t2,
    ((s0 IS NOT NULL AND ((s0 < CAST('80.0' AS FLOAT64)) AND (NOT w0))) OR (s1 IS NOT NULL AND ((s1 < CAST('80.0' AS FLOAT64)) AND (NOT w1))) OR (s2 IS NOT NULL AND ((s2 < CAST('80.0' AS FLOAT64)) AND (NOT w2))) OR (s3 IS NOT NULL AND ((s3 < CAST('80.0' AS FLOAT64)) AND (NOT w3))) OR (s4 IS NOT NULL AND ((s4 < CAST('80.0' AS FLOAT64)) AND (NOT w4))) OR (s5 IS NOT NULL AND ((s5 < CAST('80.0' AS FLOAT64)) AND (NOT w5)))) AS t3
  FROM joined
),
decided AS (
  SELECT tested.*,
    CASE WHEN CASE WHEN t0 THEN FALSE WHEN t1 THEN FALSE WHEN t2 THEN FALSE WHEN t3 THEN FALSE ELSE FALSE END THEN CAST(CAST(ERROR('tierplan: a lookup table has no row for student: ' || id) AS FLOAT64) AS INTEGER) ELSE CASE WHEN t0 THEN 0 WHEN t1 THEN 1 WHEN t2 THEN 2 WHEN t3 THEN 3 ELSE 4 END END AS leaf,
    CASE WHEN t0 THEN ((t0 IS NULL) OR FALSE) WHEN t1 THEN ((t1 IS NULL) OR FALSE) WHEN t2 THEN ((t2 IS NULL) OR FALSE) WHEN t3 THEN ((t3 IS NULL) OR FALSE) ELSE (((t0 IS NULL) OR (t1 IS NULL) OR (t2 IS NULL) OR (t3 IS NULL)) OR FALSE) END AS on_missing
  FROM tested
),
summary AS (
  SELECT section, 'NBT_1' AS skill, 0 AS skill_order, CAST(b0 AS FLOAT64) / CAST(a0 AS FLOAT64) AS share_below, w0 AS whole_class
  FROM classes WHERE a0 > 0
  UNION ALL
  SELECT section, 'NBT_2' AS skill, 1 AS skill_order, CAST(b1 AS FLOAT64) / CAST(a1 AS FLOAT64) AS share_below, w1 AS whole_class
  FROM classes WHERE a1 > 0
  UNION ALL
  SELECT section, 'NF_1' AS skill, 2 AS skill_order, CAST(b2 AS FLOAT64) / CAST(a2 AS FLOAT64) AS share_below, w2 AS whole_class
  FROM classes WHERE a2 > 0
  UNION ALL
  SELECT section, 'NF_2' AS skill, 3 AS skill_order, CAST(b3 AS FLOAT64) / CAST(a3 AS FLOAT64) AS share_below, w3 AS whole_class
  FROM classes WHERE a3 > 0
  UNION ALL
  SELECT section, 'OA_1' AS skill, 4 AS skill_order, CAST(b4 AS FLOAT64) / CAST(a4 AS FLOAT64) AS share_below, w4 AS whole_class
  FROM classes WHERE a4 > 0
  UNION ALL
  SELECT section, 'MD_1' AS skill, 5 AS skill_order, CAST(b5 AS FLOAT64) / CAST(a5 AS FLOAT64) AS share_below, w5 AS whole_class
  FROM classes WHERE a5 > 0
)
SELECT section AS `section`,
  skill AS `skill`,
  share_below AS `share_below`,
  whole_class AS `whole_class`
FROM summary
ORDER BY section, skill_order;
