WITH pm_rows AS (
  SELECT NULLIF(TRIM(CAST("student_id" AS VARCHAR)), '') AS id,
    COALESCE(NULLIF(TRIM(CAST("measure" AS VARCHAR)), ''), '') AS measure,
    NULLIF(TRIM(CAST("name" AS VARCHAR)), '') AS k0,
    NULLIF(TRIM(CAST("section" AS VARCHAR)), '') AS k1,
    NULLIF(TRIM(CAST("tier" AS VARCHAR)), '') AS k2,
    NULLIF(TRIM(CAST("measure" AS VARCHAR)), '') AS k3,
    NULLIF(TRIM(CAST("score" AS VARCHAR)), '') AS score_text,
    NULLIF(TRIM(CAST("date" AS VARCHAR)), '') AS date_text,
    NULLIF(TRIM(CAST("goal" AS VARCHAR)), '') AS goal_text,
    NULLIF(TRIM(CAST("goal_date" AS VARCHAR)), '') AS goal_date_text
  FROM "district"."results"
),
pm_read AS (
  SELECT pm_rows.*,
    CASE WHEN REGEXP_LIKE(score_text, '[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?') THEN CAST(score_text AS DOUBLE) END AS score,
    CASE WHEN REGEXP_LIKE(goal_text, '[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?') THEN CAST(goal_text AS DOUBLE) END AS goal_n,
    CASE WHEN REGEXP_LIKE(split_part(split_part(date_text, ' ', 1), 'T', 1), '[0-9]{4}[-/][0-9]{1,4}[-/][0-9]{1,4}') THEN CAST(split_part(REPLACE(split_part(split_part(date_text, ' ', 1), 'T', 1), '/', '-'), '-', 1) AS DOUBLE) WHEN REGEXP_LIKE(split_part(split_part(date_text, ' ', 1), 'T', 1), '[0-9]{1,4}[-/][0-9]{1,4}[-/][0-9]{4}') AND REGEXP_LIKE(split_part(split_part(date_text, ' ', 1), 'T', 1), '.*/.*') THEN CAST(split_part(REPLACE(split_part(split_part(date_text, ' ', 1), 'T', 1), '/', '-'), '-', 3) AS DOUBLE) END AS dy,
    CASE WHEN REGEXP_LIKE(split_part(split_part(date_text, ' ', 1), 'T', 1), '[0-9]{4}[-/][0-9]{1,4}[-/][0-9]{1,4}') THEN CAST(split_part(REPLACE(split_part(split_part(date_text, ' ', 1), 'T', 1), '/', '-'), '-', 2) AS DOUBLE) WHEN REGEXP_LIKE(split_part(split_part(date_text, ' ', 1), 'T', 1), '[0-9]{1,4}[-/][0-9]{1,4}[-/][0-9]{4}') AND REGEXP_LIKE(split_part(split_part(date_text, ' ', 1), 'T', 1), '.*/.*') THEN CAST(split_part(REPLACE(split_part(split_part(date_text, ' ', 1), 'T', 1), '/', '-'), '-', 1) AS DOUBLE) END AS dm,
    CASE WHEN REGEXP_LIKE(split_part(split_part(date_text, ' ', 1), 'T', 1), '[0-9]{4}[-/][0-9]{1,4}[-/][0-9]{1,4}') THEN CAST(split_part(REPLACE(split_part(split_part(date_text, ' ', 1), 'T', 1), '/', '-'), '-', 3) AS DOUBLE) WHEN REGEXP_LIKE(split_part(split_part(date_text, ' ', 1), 'T', 1), '[0-9]{1,4}[-/][0-9]{1,4}[-/][0-9]{4}') AND REGEXP_LIKE(split_part(split_part(date_text, ' ', 1), 'T', 1), '.*/.*') THEN CAST(split_part(REPLACE(split_part(split_part(date_text, ' ', 1), 'T', 1), '/', '-'), '-', 2) AS DOUBLE) END AS ddd,
    CASE WHEN REGEXP_LIKE(split_part(split_part(goal_date_text, ' ', 1), 'T', 1), '[0-9]{4}[-/][0-9]{1,4}[-/][0-9]{1,4}') THEN CAST(split_part(REPLACE(split_part(split_part(goal_date_text, ' ', 1), 'T', 1), '/', '-'), '-', 1) AS DOUBLE) WHEN REGEXP_LIKE(split_part(split_part(goal_date_text, ' ', 1), 'T', 1), '[0-9]{1,4}[-/][0-9]{1,4}[-/][0-9]{4}') AND REGEXP_LIKE(split_part(split_part(goal_date_text, ' ', 1), 'T', 1), '.*/.*') THEN CAST(split_part(REPLACE(split_part(split_part(goal_date_text, ' ', 1), 'T', 1), '/', '-'), '-', 3) AS DOUBLE) END AS gy,
    CASE WHEN REGEXP_LIKE(split_part(split_part(goal_date_text, ' ', 1), 'T', 1), '[0-9]{4}[-/][0-9]{1,4}[-/][0-9]{1,4}') THEN CAST(split_part(REPLACE(split_part(split_part(goal_date_text, ' ', 1), 'T', 1), '/', '-'), '-', 2) AS DOUBLE) WHEN REGEXP_LIKE(split_part(split_part(goal_date_text, ' ', 1), 'T', 1), '[0-9]{1,4}[-/][0-9]{1,4}[-/][0-9]{4}') AND REGEXP_LIKE(split_part(split_part(goal_date_text, ' ', 1), 'T', 1), '.*/.*') THEN CAST(split_part(REPLACE(split_part(split_part(goal_date_text, ' ', 1), 'T', 1), '/', '-'), '-', 1) AS DOUBLE) END AS gm,
    CASE WHEN REGEXP_LIKE(split_part(split_part(goal_date_text, ' ', 1), 'T', 1), '[0-9]{4}[-/][0-9]{1,4}[-/][0-9]{1,4}') THEN CAST(split_part(REPLACE(split_part(split_part(goal_date_text, ' ', 1), 'T', 1), '/', '-'), '-', 3) AS DOUBLE) WHEN REGEXP_LIKE(split_part(split_part(goal_date_text, ' ', 1), 'T', 1), '[0-9]{1,4}[-/][0-9]{1,4}[-/][0-9]{4}') AND REGEXP_LIKE(split_part(split_part(goal_date_text, ' ', 1), 'T', 1), '.*/.*') THEN CAST(split_part(REPLACE(split_part(split_part(goal_date_text, ' ', 1), 'T', 1), '/', '-'), '-', 2) AS DOUBLE) END AS gdd
  FROM pm_rows
),
pm_days AS (
  SELECT pm_read.*,
    CASE WHEN dy BETWEEN 1 AND 9999 AND dm BETWEEN 1 AND 12 AND ddd BETWEEN 1 AND CASE WHEN dm IN (4, 6, 9, 11) THEN 30 WHEN dm = 2 THEN CASE WHEN ((dy - 4 * FLOOR((dy) / 4)) = 0 AND (dy - 100 * FLOOR((dy) / 100)) <> 0 OR (dy - 400 * FLOOR((dy) / 400)) = 0) THEN 29 ELSE 28 END ELSE 31 END THEN CAST(FLOOR(((dy - CASE WHEN dm <= 2 THEN 1 ELSE 0 END)) / 400) * 146097 + (((dy - CASE WHEN dm <= 2 THEN 1 ELSE 0 END) - 400 * FLOOR(((dy - CASE WHEN dm <= 2 THEN 1 ELSE 0 END)) / 400)) * 365 + FLOOR((((dy - CASE WHEN dm <= 2 THEN 1 ELSE 0 END) - 400 * FLOOR(((dy - CASE WHEN dm <= 2 THEN 1 ELSE 0 END)) / 400))) / 4) - FLOOR((((dy - CASE WHEN dm <= 2 THEN 1 ELSE 0 END) - 400 * FLOOR(((dy - CASE WHEN dm <= 2 THEN 1 ELSE 0 END)) / 400))) / 100) + (FLOOR((153 * (dm + 9 - 12 * FLOOR((dm + 9) / 12)) + 2) / 5) + ddd - 1)) - 719468 AS DOUBLE) END AS day,
    CASE WHEN gy BETWEEN 1 AND 9999 AND gm BETWEEN 1 AND 12 AND gdd BETWEEN 1 AND CASE WHEN gm IN (4, 6, 9, 11) THEN 30 WHEN gm = 2 THEN CASE WHEN ((gy - 4 * FLOOR((gy) / 4)) = 0 AND (gy - 100 * FLOOR((gy) / 100)) <> 0 OR (gy - 400 * FLOOR((gy) / 400)) = 0) THEN 29 ELSE 28 END ELSE 31 END THEN CAST(FLOOR(((gy - CASE WHEN gm <= 2 THEN 1 ELSE 0 END)) / 400) * 146097 + (((gy - CASE WHEN gm <= 2 THEN 1 ELSE 0 END) - 400 * FLOOR(((gy - CASE WHEN gm <= 2 THEN 1 ELSE 0 END)) / 400)) * 365 + FLOOR((((gy - CASE WHEN gm <= 2 THEN 1 ELSE 0 END) - 400 * FLOOR(((gy - CASE WHEN gm <= 2 THEN 1 ELSE 0 END)) / 400))) / 4) - FLOOR((((gy - CASE WHEN gm <= 2 THEN 1 ELSE 0 END) - 400 * FLOOR(((gy - CASE WHEN gm <= 2 THEN 1 ELSE 0 END)) / 400))) / 100) + (FLOOR((153 * (gm + 9 - 12 * FLOOR((gm + 9) / 12)) + 2) / 5) + gdd - 1)) - 719468 AS DOUBLE) END AS goal_day
  FROM pm_read
),
pm_checked AS (
  SELECT pm_days.*,
    CASE WHEN id IS NULL THEN CAST(CAST('tierplan: a probe has no student id: ' || COALESCE(date_text, '') AS INTEGER) AS DOUBLE) WHEN score_text IS NOT NULL AND score IS NULL THEN CAST(CAST('tierplan: not a probe score: ' || COALESCE(score_text, '') AS INTEGER) AS DOUBLE) WHEN score IS NOT NULL AND day IS NULL THEN CAST(CAST('tierplan: not a date: ' || COALESCE(date_text, '') AS INTEGER) AS DOUBLE) WHEN goal_text IS NOT NULL AND goal_n IS NULL THEN CAST(CAST('tierplan: a goal that is not a number: ' || COALESCE(goal_text, '') AS INTEGER) AS DOUBLE) WHEN goal_date_text IS NOT NULL AND goal_day IS NULL THEN CAST(CAST('tierplan: a goal date that is not a date: ' || COALESCE(goal_date_text, '') AS INTEGER) AS DOUBLE) ELSE 0 END AS chk
  FROM pm_days
),
pm_student AS (
  SELECT id,
    measure,
    MAX(chk) AS chk,
    COUNT(DISTINCT goal_n) AS goals,
    MIN(goal_n) AS goal_cell,
    COUNT(DISTINCT goal_day) AS goal_days,
    MIN(goal_day) AS goal_day_cell,
    COUNT(score) AS n,
    MIN(day) AS first_day,
    MAX(day) AS last_day,
    MIN(k0) AS k0,
    MIN(k1) AS k1,
    MIN(k2) AS k2,
    MIN(k3) AS k3,
    CASE WHEN (COUNT(DISTINCT k0) > 1 OR (COUNT(k0) > 0 AND COUNT(k0) < COUNT(*)) OR COUNT(DISTINCT k1) > 1 OR (COUNT(k1) > 0 AND COUNT(k1) < COUNT(*)) OR COUNT(DISTINCT k2) > 1 OR (COUNT(k2) > 0 AND COUNT(k2) < COUNT(*)) OR COUNT(DISTINCT k3) > 1 OR (COUNT(k3) > 0 AND COUNT(k3) < COUNT(*))) THEN 1 ELSE 0 END AS fields_differ
  FROM pm_checked
  GROUP BY id, measure
),
pm_goal AS (
  SELECT pm_student.*,
    COALESCE(goal_cell, CAST(NULL AS DOUBLE)) AS goal,
    COALESCE(goal_day_cell, CAST(NULL AS DOUBLE)) AS goal_on,
    CASE WHEN n >= 3 THEN LEAST(GREATEST(ROUND(CAST(n AS DOUBLE) / 3), 1), FLOOR(CAST(n AS DOUBLE) / 2)) END AS third
  FROM pm_student
),
pm_ranked AS (
  SELECT r.id, r.measure, r.day, r.score, g.n, g.first_day, g.goal, g.goal_on, g.third,
    ROW_NUMBER() OVER (PARTITION BY r.id, r.measure ORDER BY r.day, r.score) AS pos,
    ROW_NUMBER() OVER (PARTITION BY r.id, r.measure, r.day ORDER BY r.score) AS day_rank,
    COUNT(*) OVER (PARTITION BY r.id, r.measure, r.day) AS day_count,
    CASE WHEN MIN(r.score) OVER (PARTITION BY r.id, r.measure, r.day) <> MAX(r.score) OVER (PARTITION BY r.id, r.measure, r.day) THEN 1 ELSE 0 END AS mixed,
    (r.day - g.first_day) / CAST('7.0' AS DOUBLE) AS x,
    (g.goal_on - g.first_day) / CAST('7.0' AS DOUBLE) AS span
  FROM pm_checked r JOIN pm_goal g ON r.id = g.id AND r.measure = g.measure
  WHERE r.score IS NOT NULL
),
pm_based AS (
  SELECT pm_ranked.*,
    (MAX(CASE WHEN day = first_day AND day_rank = FLOOR((day_count + 1) / 2) THEN score END) OVER (PARTITION BY id, measure) + MAX(CASE WHEN day = first_day AND day_rank = FLOOR(day_count / 2) + 1 THEN score END) OVER (PARTITION BY id, measure)) / 2 AS baseline,
    MIN(pos) OVER (PARTITION BY id, measure, day) AS day_first,
    MAX(pos) OVER (PARTITION BY id, measure, day) AS day_last,
    SUM(x) OVER (PARTITION BY id, measure) / CAST(n AS DOUBLE) AS mean_x,
    SUM(score) OVER (PARTITION BY id, measure) / CAST(n AS DOUBLE) AS mean_y,
    CASE WHEN pos <= third THEN 1 ELSE 0 END AS in_first,
    CASE WHEN pos > n - third THEN 1 ELSE 0 END AS in_last,
    CASE WHEN pos > n - 3 THEN 1 ELSE 0 END AS in_last3
  FROM pm_ranked
),
pm_aimed AS (
  SELECT pm_based.*,
    CASE WHEN score > CASE WHEN span > 0 THEN baseline + (goal - baseline) * x / span ELSE goal END THEN 1 ELSE 0 END AS above,
    CASE WHEN score < CASE WHEN span > 0 THEN baseline + (goal - baseline) * x / span ELSE goal END THEN 1 ELSE 0 END AS below,
    ROW_NUMBER() OVER (PARTITION BY id, measure, in_first ORDER BY score) AS first_rank,
    ROW_NUMBER() OVER (PARTITION BY id, measure, in_last ORDER BY score) AS last_rank,
    ROW_NUMBER() OVER (PARTITION BY id, measure, in_last3 ORDER BY score) AS last3_rank
  FROM pm_based
),
pm_sums AS (
  SELECT id, measure, MIN(n) AS n, MIN(first_day) AS first_day, MAX(day) AS last_day, MIN(baseline) AS baseline, MIN(goal) AS goal, MIN(goal_on) AS goal_on, MIN(span) AS span, MIN(third) AS third,
    COUNT(CASE WHEN day > first_day THEN 1 END) AS points,
    SUM((x - mean_x) * (x - mean_x)) AS sxx,
    SUM((x - mean_x) * (score - mean_y)) AS sxy,
    MAX(CASE WHEN pos = n THEN score END) AS latest,
    (MAX(CASE WHEN in_last3 = 1 AND last3_rank = FLOOR((LEAST(n, 3) + 1) / 2) THEN score END) + MAX(CASE WHEN in_last3 = 1 AND last3_rank = FLOOR(LEAST(n, 3) / 2) + 1 THEN score END)) / 2 AS median_last3,
    (MAX(CASE WHEN in_first = 1 AND pos = FLOOR((third + 1) / 2) THEN x END) + MAX(CASE WHEN in_first = 1 AND pos = FLOOR(third / 2) + 1 THEN x END)) / 2 AS x1,
    (MAX(CASE WHEN in_first = 1 AND first_rank = FLOOR((third + 1) / 2) THEN score END) + MAX(CASE WHEN in_first = 1 AND first_rank = FLOOR(third / 2) + 1 THEN score END)) / 2 AS y1,
    (MAX(CASE WHEN in_last = 1 AND pos - (n - third) = FLOOR((third + 1) / 2) THEN x END) + MAX(CASE WHEN in_last = 1 AND pos - (n - third) = FLOOR(third / 2) + 1 THEN x END)) / 2 AS x3,
    (MAX(CASE WHEN in_last = 1 AND last_rank = FLOOR((third + 1) / 2) THEN score END) + MAX(CASE WHEN in_last = 1 AND last_rank = FLOOR(third / 2) + 1 THEN score END)) / 2 AS y3,
    MIN(n) - COALESCE(MAX(CASE WHEN above = 0 THEN day_last END), 0) AS run_above,
    MIN(n) - COALESCE(MAX(CASE WHEN below = 0 THEN day_last END), 0) AS run_below,
    MAX(CASE WHEN (mixed = 1 AND day_first <= n - 1 AND n - 1 < day_last) OR (n > 3 AND (mixed = 1 AND day_first <= n - 3 AND n - 3 < day_last)) OR (third IS NOT NULL AND ((mixed = 1 AND day_first <= third AND third < day_last) OR (mixed = 1 AND day_first <= n - third AND n - third < day_last))) THEN 1 ELSE 0 END) AS cut_in_order
  FROM pm_aimed
  GROUP BY id, measure
),
pm_progress AS (
  SELECT id, measure, points, first_day, last_day, baseline, goal, goal_on, latest, median_last3, run_above, run_below,
    CASE WHEN n >= 2 AND sxx > 0 THEN sxy / sxx END AS slope,
    CASE WHEN third IS NOT NULL AND x3 > x1 THEN (y3 - y1) / (x3 - x1) END AS tukey_slope,
    CASE WHEN span > 0 THEN (goal - baseline) / span END AS goal_roi,
    cut_in_order AS cut
  FROM pm_sums
),
pm_ranks AS (
  SELECT pm_progress.*,
    CASE WHEN slope IS NOT NULL AND COUNT(*) OVER (PARTITION BY measure, CASE WHEN slope IS NULL THEN 0 ELSE 1 END) >= 2 THEN 100 * (CAST(RANK() OVER (PARTITION BY measure, CASE WHEN slope IS NULL THEN 0 ELSE 1 END ORDER BY CAST(CASE WHEN slope IS NULL THEN NULL WHEN slope = FLOOR(slope) AND ABS(slope) < CAST('1000000000000000.0' AS DOUBLE) THEN CAST(CAST(slope AS BIGINT) AS VARCHAR) ELSE rtrim(rtrim(CAST(CAST(slope AS NUMBER(38, 4)) AS VARCHAR), '0'), '.') END AS DOUBLE)) - 1 AS DOUBLE) + CAST(COUNT(*) OVER (PARTITION BY measure, CASE WHEN slope IS NULL THEN 0 ELSE 1 END, CAST(CASE WHEN slope IS NULL THEN NULL WHEN slope = FLOOR(slope) AND ABS(slope) < CAST('1000000000000000.0' AS DOUBLE) THEN CAST(CAST(slope AS BIGINT) AS VARCHAR) ELSE rtrim(rtrim(CAST(CAST(slope AS NUMBER(38, 4)) AS VARCHAR), '0'), '.') END AS DOUBLE)) - 1 AS DOUBLE) / 2) / CAST(COUNT(*) OVER (PARTITION BY measure, CASE WHEN slope IS NULL THEN 0 ELSE 1 END) - 1 AS DOUBLE) END AS slope_percentile
  FROM pm_progress
),
probed AS (
  SELECT CASE WHEN g.chk <> 0 THEN NULL WHEN g.fields_differ = 1 THEN CAST(CAST(CAST('tierplan: the student\'s rows differ in a field, and a table has no first row: ' || COALESCE(g.id, '') AS INTEGER) AS DOUBLE) AS VARCHAR) WHEN g.goals > 1 OR g.goal_days > 1 THEN CAST(CAST(CAST('tierplan: the student\'s rows give different goals, and a table has no last row: ' || COALESCE(g.id, '') AS INTEGER) AS DOUBLE) AS VARCHAR) WHEN g.n > 0 AND (g.goal IS NULL OR g.goal_on IS NULL) THEN CAST(CAST(CAST('tierplan: no goal (add goal and goal_date, or the parameters default_goal and default_goal_date) for student: ' || COALESCE(g.id, '') AS INTEGER) AS DOUBLE) AS VARCHAR) WHEN p.cut = 1 THEN CAST(CAST(CAST('tierplan: probes on one date with different scores, and a table has no order between them, for student: ' || COALESCE(g.id, '') AS INTEGER) AS DOUBLE) AS VARCHAR) ELSE g.id END AS "student_id",
    g.k0 AS "name",
    g.k1 AS "section",
    g.k2 AS "tier",
    NULLIF(g.measure, '') AS "measure",
    CAST(p.points AS VARCHAR) AS "points",
    CASE WHEN (p.last_day - p.first_day) / CAST('7.0' AS DOUBLE) IS NULL THEN NULL WHEN (p.last_day - p.first_day) / CAST('7.0' AS DOUBLE) = FLOOR((p.last_day - p.first_day) / CAST('7.0' AS DOUBLE)) AND ABS((p.last_day - p.first_day) / CAST('7.0' AS DOUBLE)) < CAST('1000000000000000.0' AS DOUBLE) THEN CAST(CAST((p.last_day - p.first_day) / CAST('7.0' AS DOUBLE) AS BIGINT) AS VARCHAR) ELSE rtrim(rtrim(CAST(CAST((p.last_day - p.first_day) / CAST('7.0' AS DOUBLE) AS NUMBER(38, 4)) AS VARCHAR), '0'), '.') END AS "weeks",
    CASE WHEN p.baseline IS NULL THEN NULL WHEN p.baseline = FLOOR(p.baseline) AND ABS(p.baseline) < CAST('1000000000000000.0' AS DOUBLE) THEN CAST(CAST(p.baseline AS BIGINT) AS VARCHAR) ELSE rtrim(rtrim(CAST(CAST(p.baseline AS NUMBER(38, 4)) AS VARCHAR), '0'), '.') END AS "baseline",
    CASE WHEN p.goal IS NULL THEN NULL WHEN p.goal = FLOOR(p.goal) AND ABS(p.goal) < CAST('1000000000000000.0' AS DOUBLE) THEN CAST(CAST(p.goal AS BIGINT) AS VARCHAR) ELSE rtrim(rtrim(CAST(CAST(p.goal AS NUMBER(38, 4)) AS VARCHAR), '0'), '.') END AS "goal",
    TO_CHAR(DATEADD(day, CAST(p.goal_on AS INTEGER), DATE '1970-01-01'), 'YYYY-MM-DD') AS "goal_date",
    CASE WHEN p.goal_roi IS NULL THEN NULL WHEN p.goal_roi = FLOOR(p.goal_roi) AND ABS(p.goal_roi) < CAST('1000000000000000.0' AS DOUBLE) THEN CAST(CAST(p.goal_roi AS BIGINT) AS VARCHAR) ELSE rtrim(rtrim(CAST(CAST(p.goal_roi AS NUMBER(38, 4)) AS VARCHAR), '0'), '.') END AS "goal_roi",
    CASE WHEN p.slope IS NULL THEN NULL WHEN p.slope = FLOOR(p.slope) AND ABS(p.slope) < CAST('1000000000000000.0' AS DOUBLE) THEN CAST(CAST(p.slope AS BIGINT) AS VARCHAR) ELSE rtrim(rtrim(CAST(CAST(p.slope AS NUMBER(38, 4)) AS VARCHAR), '0'), '.') END AS "slope",
    CASE WHEN p.tukey_slope IS NULL THEN NULL WHEN p.tukey_slope = FLOOR(p.tukey_slope) AND ABS(p.tukey_slope) < CAST('1000000000000000.0' AS DOUBLE) THEN CAST(CAST(p.tukey_slope AS BIGINT) AS VARCHAR) ELSE rtrim(rtrim(CAST(CAST(p.tukey_slope AS NUMBER(38, 4)) AS VARCHAR), '0'), '.') END AS "tukey_slope",
    CASE WHEN p.latest IS NULL THEN NULL WHEN p.latest = FLOOR(p.latest) AND ABS(p.latest) < CAST('1000000000000000.0' AS DOUBLE) THEN CAST(CAST(p.latest AS BIGINT) AS VARCHAR) ELSE rtrim(rtrim(CAST(CAST(p.latest AS NUMBER(38, 4)) AS VARCHAR), '0'), '.') END AS "latest",
    CASE WHEN p.median_last3 IS NULL THEN NULL WHEN p.median_last3 = FLOOR(p.median_last3) AND ABS(p.median_last3) < CAST('1000000000000000.0' AS DOUBLE) THEN CAST(CAST(p.median_last3 AS BIGINT) AS VARCHAR) ELSE rtrim(rtrim(CAST(CAST(p.median_last3 AS NUMBER(38, 4)) AS VARCHAR), '0'), '.') END AS "median_last3",
    CAST(p.run_above AS VARCHAR) AS "run_above",
    CAST(p.run_below AS VARCHAR) AS "run_below",
    CASE WHEN p.slope_percentile IS NULL THEN NULL WHEN p.slope_percentile = FLOOR(p.slope_percentile) AND ABS(p.slope_percentile) < CAST('1000000000000000.0' AS DOUBLE) THEN CAST(CAST(p.slope_percentile AS BIGINT) AS VARCHAR) ELSE rtrim(rtrim(CAST(CAST(p.slope_percentile AS NUMBER(38, 4)) AS VARCHAR), '0'), '.') END AS "slope_percentile",
    TO_CHAR(DATEADD(day, CAST(p.first_day AS INTEGER), DATE '1970-01-01'), 'YYYY-MM-DD') AS "first_probe",
    TO_CHAR(DATEADD(day, CAST(p.last_day AS INTEGER), DATE '1970-01-01'), 'YYYY-MM-DD') AS "last_probe",
    CAST(NULL AS VARCHAR) AS "recent",
    CAST(NULL AS VARCHAR) AS "aimline",
    CAST(NULL AS VARCHAR) AS "probes",
    CAST(NULL AS VARCHAR) AS "phases"
  FROM pm_goal g LEFT JOIN pm_ranks p ON g.id = p.id AND g.measure = p.measure
),
cells AS (
  SELECT NULLIF(TRIM(CAST("student_id" AS VARCHAR)), '') AS id,
    COALESCE(NULLIF(TRIM(CAST("section" AS VARCHAR)), ''), '') AS section,
    NULLIF(TRIM(CAST("student_id" AS VARCHAR)), '') AS f0,
    NULLIF(TRIM(CAST("name" AS VARCHAR)), '') AS f1,
    NULLIF(TRIM(CAST("section" AS VARCHAR)), '') AS f2,
    NULLIF(TRIM(CAST("tier" AS VARCHAR)), '') AS f3,
    NULLIF(TRIM(CAST("measure" AS VARCHAR)), '') AS f4,
    NULLIF(TRIM(CAST("points" AS VARCHAR)), '') AS f5,
    NULLIF(TRIM(CAST("weeks" AS VARCHAR)), '') AS f6,
    NULLIF(TRIM(CAST("baseline" AS VARCHAR)), '') AS f7,
    NULLIF(TRIM(CAST("goal" AS VARCHAR)), '') AS f8,
    NULLIF(TRIM(CAST("goal_date" AS VARCHAR)), '') AS f9,
    NULLIF(TRIM(CAST("slope" AS VARCHAR)), '') AS f10,
    NULLIF(TRIM(CAST("goal_roi" AS VARCHAR)), '') AS f11,
    NULLIF(TRIM(CAST("tukey_slope" AS VARCHAR)), '') AS f12,
    NULLIF(TRIM(CAST("slope_percentile" AS VARCHAR)), '') AS f13,
    NULLIF(TRIM(CAST("latest" AS VARCHAR)), '') AS f14,
    NULLIF(TRIM(CAST("median_last3" AS VARCHAR)), '') AS f15,
    NULLIF(TRIM(CAST("run_above" AS VARCHAR)), '') AS f16,
    NULLIF(TRIM(CAST("run_below" AS VARCHAR)), '') AS f17,
    NULLIF(TRIM(CAST("last_probe" AS VARCHAR)), '') AS f18,
    NULLIF(TRIM(CAST("recent" AS VARCHAR)), '') AS f19,
    NULLIF(TRIM(CAST("aimline" AS VARCHAR)), '') AS f20,
    NULLIF(TRIM(CAST("probes" AS VARCHAR)), '') AS f21,
    NULLIF(TRIM(CAST("phases" AS VARCHAR)), '') AS f22,
    NULLIF(TRIM(CAST("name" AS VARCHAR)), '') AS name
  FROM probed
  WHERE NULLIF(TRIM(CAST("student_id" AS VARCHAR)), '') IS NOT NULL
),
readings AS (
  SELECT cells.*,
    CASE WHEN f5 IS NULL THEN NULL WHEN REGEXP_LIKE(f5, '[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?') THEN CAST(f5 AS DOUBLE) WHEN REGEXP_LIKE(f5, '[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?\\s*%') THEN CAST(TRIM(rtrim(f5, '%')) AS DOUBLE) ELSE CAST(CAST('tierplan: not a number: ' || f5 AS INTEGER) AS DOUBLE) END AS n5,
    CASE WHEN f17 IS NULL THEN NULL WHEN REGEXP_LIKE(f17, '[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?') THEN CAST(f17 AS DOUBLE) WHEN REGEXP_LIKE(f17, '[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?\\s*%') THEN CAST(TRIM(rtrim(f17, '%')) AS DOUBLE) ELSE CAST(CAST('tierplan: not a number: ' || f17 AS INTEGER) AS DOUBLE) END AS n17,
    CASE WHEN f16 IS NULL THEN NULL WHEN REGEXP_LIKE(f16, '[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?') THEN CAST(f16 AS DOUBLE) WHEN REGEXP_LIKE(f16, '[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?\\s*%') THEN CAST(TRIM(rtrim(f16, '%')) AS DOUBLE) ELSE CAST(CAST('tierplan: not a number: ' || f16 AS INTEGER) AS DOUBLE) END AS n16
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
    f5,
    f6,
    f7,
    f8,
    f9,
    f10,
    f11,
    f12,
    f13,
    f14,
    f15,
    f16,
    f17,
    f18,
    f19,
    f20,
    f21,
    f22,
    n5,
    n17,
    n16
  FROM readings
),
sections AS (
  SELECT section,
    COUNT(*) AS students
  FROM students
  GROUP BY section
),
classes AS (
  SELECT sections.*
  FROM sections
),
joined AS (
  SELECT students.*, classes.students
  FROM students JOIN classes ON students.section = classes.section
),
tested AS (
  SELECT joined.*,
    (n5 < CAST('6.0' AS DOUBLE)) AS t0,
    (n17 >= CAST('4.0' AS DOUBLE)) AS t1,
    (n16 >= CAST('4.0' AS DOUBLE)) AS t2
  FROM joined
),
decided AS (
  SELECT tested.*,
    CASE WHEN CASE WHEN COALESCE(t0, TRUE) THEN FALSE WHEN t1 THEN FALSE WHEN t2 THEN FALSE ELSE FALSE END THEN CAST(CAST(CAST('tierplan: a lookup table has no row for student: ' || id AS INTEGER) AS DOUBLE) AS INTEGER) ELSE CASE WHEN COALESCE(t0, TRUE) THEN 0 WHEN t1 THEN 1 WHEN t2 THEN 2 ELSE 3 END END AS leaf,
    CASE WHEN COALESCE(t0, TRUE) THEN ((t0 IS NULL) OR FALSE) WHEN t1 THEN ((t1 IS NULL) OR FALSE) WHEN t2 THEN ((t2 IS NULL) OR FALSE) ELSE (((t0 IS NULL) OR (t1 IS NULL) OR (t2 IS NULL)) OR FALSE) END AS on_missing
  FROM tested
),
focused AS (
  SELECT decided.*
  FROM decided
),
weakest AS (
  SELECT focused.*
  FROM focused
),
planned AS (
  SELECT weakest.*,
    CASE leaf WHEN 0 THEN 'collect_more' WHEN 1 THEN 'change_intervention' WHEN 2 THEN 'raise_goal' WHEN 3 THEN 'continue' END AS plan,
    CASE leaf WHEN 0 THEN 'collect_more' WHEN 1 THEN 'change_intervention' WHEN 2 THEN 'raise_goal' WHEN 3 THEN 'continue' END AS kind,
    CASE leaf WHEN 0 THEN CAST(NULL AS INTEGER) WHEN 1 THEN CAST(NULL AS INTEGER) WHEN 2 THEN CAST(NULL AS INTEGER) WHEN 3 THEN CAST(NULL AS INTEGER) END AS tier,
    CAST(NULL AS VARCHAR) AS focus,
    CAST(NULL AS DOUBLE) AS focus_score,
    CASE leaf WHEN 0 THEN CAST(NULL AS DOUBLE) WHEN 1 THEN CAST(NULL AS DOUBLE) WHEN 2 THEN CAST(NULL AS DOUBLE) WHEN 3 THEN CAST(NULL AS DOUBLE) END AS group_size,
    COALESCE(name, id) AS shown
  FROM weakest
),
ranked AS (
  SELECT planned.*,
    CAST(ROW_NUMBER() OVER (PARTITION BY section, plan, focus ORDER BY CASE WHEN focus_score IS NULL THEN 1 ELSE 0 END, focus_score, shown, id) - 1 AS DOUBLE) AS place,
    CAST(COUNT(*) OVER (PARTITION BY section, plan, focus) AS DOUBLE) AS alike
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
SELECT id AS "student_id",
  shown AS "name",
  section AS "section",
  f4 AS "measure",
  COALESCE(CAST(tier AS VARCHAR), f3) AS "tier",
  plan AS "plan",
  kind AS "kind",
  f5 AS "points",
  f6 AS "weeks",
  f7 AS "baseline",
  f8 AS "goal",
  f9 AS "goal_date",
  f11 AS "goal_roi",
  f10 AS "slope",
  f14 AS "latest",
  TO_CHAR(DATEADD(day, CAST(CASE WHEN REGEXP_LIKE(f3, '[^0-9]*0*1') THEN 28 WHEN REGEXP_LIKE(f3, '[^0-9]*0*2') THEN 14 WHEN REGEXP_LIKE(f3, '[^0-9]*0*3') THEN 7 ELSE CASE leaf WHEN 0 THEN CAST(NULL AS INTEGER) WHEN 1 THEN CAST(NULL AS INTEGER) WHEN 2 THEN CAST(NULL AS INTEGER) WHEN 3 THEN CAST(NULL AS INTEGER) END END AS INTEGER), CAST(f18 AS DATE)), 'YYYY-MM-DD') AS "next_probe",
  CASE leaf WHEN 0 THEN COALESCE(f5, 'missing') || ' probes after the baseline; ' || COALESCE('6', 'missing') || ' needed to decide'
    WHEN 1 THEN 'the last ' || COALESCE(f17, 'missing') || ' probes are below the aimline (slope ' || COALESCE(f10, 'missing') || ' a week, goal ' || COALESCE(f11, 'missing') || ')'
    WHEN 2 THEN 'the last ' || COALESCE(f16, 'missing') || ' probes are above the aimline (slope ' || COALESCE(f10, 'missing') || ' a week, goal ' || COALESCE(f11, 'missing') || ')'
    WHEN 3 THEN 'the recent probes are around the aimline (slope ' || COALESCE(f10, 'missing') || ' a week, goal ' || COALESCE(f11, 'missing') || ')' END AS "reason",
  CAST(CASE WHEN place < r * (q + 1) THEN FLOOR(place / (q + 1)) + 1 ELSE r + FLOOR((place - r * (q + 1)) / q) + 1 END AS INTEGER) AS "group_number",
  on_missing AS "decided_on_missing"
FROM grouped
ORDER BY section, id;
