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
focused AS (
  SELECT decided.*,
    CASE WHEN s0 IS NOT NULL AND TRUE THEN s0 END AS c1_0,
    CASE WHEN s1 IS NOT NULL AND TRUE THEN s1 END AS c1_1,
    CASE WHEN s2 IS NOT NULL AND TRUE THEN s2 END AS c1_2,
    CASE WHEN s3 IS NOT NULL AND TRUE THEN s3 END AS c1_3,
    CASE WHEN s4 IS NOT NULL AND TRUE THEN s4 END AS c1_4,
    CASE WHEN s5 IS NOT NULL AND TRUE THEN s5 END AS c1_5,
    CASE WHEN s0 IS NOT NULL AND TRUE THEN s0 END AS c2_0,
    CASE WHEN s1 IS NOT NULL AND TRUE THEN s1 END AS c2_1,
    CASE WHEN s2 IS NOT NULL AND TRUE THEN s2 END AS c2_2,
    CASE WHEN s3 IS NOT NULL AND TRUE THEN s3 END AS c2_3,
    CASE WHEN s4 IS NOT NULL AND TRUE THEN s4 END AS c2_4,
    CASE WHEN s5 IS NOT NULL AND TRUE THEN s5 END AS c2_5,
    CASE WHEN s0 IS NOT NULL AND ((s0 < CAST('80.0' AS FLOAT64)) AND (NOT w0)) THEN s0 END AS c3_0,
    CASE WHEN s1 IS NOT NULL AND ((s1 < CAST('80.0' AS FLOAT64)) AND (NOT w1)) THEN s1 END AS c3_1,
    CASE WHEN s2 IS NOT NULL AND ((s2 < CAST('80.0' AS FLOAT64)) AND (NOT w2)) THEN s2 END AS c3_2,
    CASE WHEN s3 IS NOT NULL AND ((s3 < CAST('80.0' AS FLOAT64)) AND (NOT w3)) THEN s3 END AS c3_3,
    CASE WHEN s4 IS NOT NULL AND ((s4 < CAST('80.0' AS FLOAT64)) AND (NOT w4)) THEN s4 END AS c3_4,
    CASE WHEN s5 IS NOT NULL AND ((s5 < CAST('80.0' AS FLOAT64)) AND (NOT w5)) THEN s5 END AS c3_5
  FROM decided
),
weakest AS (
  SELECT focused.*,
    NULLIF(LEAST(COALESCE(c1_0, CAST('inf' AS FLOAT64)), COALESCE(c1_1, CAST('inf' AS FLOAT64)), COALESCE(c1_2, CAST('inf' AS FLOAT64)), COALESCE(c1_3, CAST('inf' AS FLOAT64)), COALESCE(c1_4, CAST('inf' AS FLOAT64)), COALESCE(c1_5, CAST('inf' AS FLOAT64))), CAST('inf' AS FLOAT64)) AS weakest1,
    NULLIF(LEAST(COALESCE(c2_0, CAST('inf' AS FLOAT64)), COALESCE(c2_1, CAST('inf' AS FLOAT64)), COALESCE(c2_2, CAST('inf' AS FLOAT64)), COALESCE(c2_3, CAST('inf' AS FLOAT64)), COALESCE(c2_4, CAST('inf' AS FLOAT64)), COALESCE(c2_5, CAST('inf' AS FLOAT64))), CAST('inf' AS FLOAT64)) AS weakest2,
    NULLIF(LEAST(COALESCE(c3_0, CAST('inf' AS FLOAT64)), COALESCE(c3_1, CAST('inf' AS FLOAT64)), COALESCE(c3_2, CAST('inf' AS FLOAT64)), COALESCE(c3_3, CAST('inf' AS FLOAT64)), COALESCE(c3_4, CAST('inf' AS FLOAT64)), COALESCE(c3_5, CAST('inf' AS FLOAT64))), CAST('inf' AS FLOAT64)) AS weakest3
  FROM focused
),
planned AS (
  SELECT weakest.*,
    CASE leaf WHEN 0 THEN 'no_data' WHEN 1 THEN 'tier3' WHEN 2 THEN 'tier2' WHEN 3 THEN 'small_group_reteach' WHEN 4 THEN 'core' END AS plan,
    CASE leaf WHEN 0 THEN 'no_data' WHEN 1 THEN 'tier3_intervention' WHEN 2 THEN 'tier2_intervention' WHEN 3 THEN 'small_group_reteach' WHEN 4 THEN 'core' END AS kind,
    CASE leaf WHEN 0 THEN CAST(NULL AS INTEGER) WHEN 1 THEN 3 WHEN 2 THEN 2 WHEN 3 THEN 1 WHEN 4 THEN 1 END AS tier,
    CASE leaf WHEN 1 THEN CASE WHEN c1_0 = weakest1 THEN 'NBT_1' WHEN c1_1 = weakest1 THEN 'NBT_2' WHEN c1_2 = weakest1 THEN 'NF_1' WHEN c1_3 = weakest1 THEN 'NF_2' WHEN c1_4 = weakest1 THEN 'OA_1' WHEN c1_5 = weakest1 THEN 'MD_1' END WHEN 2 THEN CASE WHEN c2_0 = weakest2 THEN 'NBT_1' WHEN c2_1 = weakest2 THEN 'NBT_2' WHEN c2_2 = weakest2 THEN 'NF_1' WHEN c2_3 = weakest2 THEN 'NF_2' WHEN c2_4 = weakest2 THEN 'OA_1' WHEN c2_5 = weakest2 THEN 'MD_1' END WHEN 3 THEN CASE WHEN c3_0 = weakest3 THEN 'NBT_1' WHEN c3_1 = weakest3 THEN 'NBT_2' WHEN c3_2 = weakest3 THEN 'NF_1' WHEN c3_3 = weakest3 THEN 'NF_2' WHEN c3_4 = weakest3 THEN 'OA_1' WHEN c3_5 = weakest3 THEN 'MD_1' END END AS focus,
    CASE leaf WHEN 1 THEN weakest1 WHEN 2 THEN weakest2 WHEN 3 THEN weakest3 END AS focus_score,
    CASE leaf WHEN 0 THEN CAST(NULL AS FLOAT64) WHEN 1 THEN CAST(3 AS FLOAT64) WHEN 2 THEN CAST(5 AS FLOAT64) WHEN 3 THEN CAST(6 AS FLOAT64) WHEN 4 THEN CAST(NULL AS FLOAT64) END AS group_size,
    COALESCE(name, id) AS shown
  FROM weakest
),
ranked AS (
  SELECT planned.*,
    CAST(ROW_NUMBER() OVER (PARTITION BY section, plan, focus ORDER BY CASE WHEN focus_score IS NULL THEN 1 ELSE 0 END, focus_score, shown, id) - 1 AS FLOAT64) AS place,
    CAST(COUNT(*) OVER (PARTITION BY section, plan, focus) AS FLOAT64) AS alike
  FROM planned
),
sized AS (
  SELECT ranked.*, CEIL(alike / COALESCE(group_size, alike)) AS parts
  FROM ranked
),
grouped AS (
  SELECT sized.*, FLOOR(alike / parts) AS q, alike - FLOOR(alike / parts) * parts AS r
  FROM sized
)
SELECT id AS `student_id`,
  shown AS `name`,
  section AS `section`,
  plan AS `plan`,
  kind AS `kind`,
  tier AS `tier`,
  focus AS `focus`,
  focus_score AS `focus_score`,
  CASE leaf WHEN 0 THEN 'no skill was scored on this quiz'
    WHEN 1 THEN 'screening percentile ' || COALESCE(f4, 'missing') || ' is at or below ' || COALESCE('10', 'missing')
    WHEN 2 THEN 'screening percentile ' || COALESCE(f4, 'missing') || ' is at or below ' || COALESCE('25', 'missing')
    WHEN 3 THEN COALESCE(focus, 'no skill') || ' is ' || COALESCE(CASE WHEN focus_score IS NULL THEN NULL WHEN focus_score = FLOOR(focus_score) AND ABS(focus_score) < CAST('1000000000000000.0' AS FLOAT64) THEN CAST(CAST(focus_score AS BIGINT) AS STRING) ELSE rtrim(rtrim(FORMAT('%.4f', focus_score), '0'), '.') END, 'no score') || ', below mastery (' || COALESCE('80', 'missing') || '), and not retaught to the whole class'
    WHEN 4 THEN 'every skill is at mastery or retaught to the whole class' END AS `reason`,
  CAST(CASE WHEN place < r * (q + 1) THEN FLOOR(place / (q + 1)) + 1 ELSE r + FLOOR((place - r * (q + 1)) / q) + 1 END AS INTEGER) AS `group_number`,
  on_missing AS `decided_on_missing`
FROM grouped
ORDER BY section, id;
