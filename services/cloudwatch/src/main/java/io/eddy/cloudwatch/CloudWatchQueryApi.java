package io.eddy.cloudwatch;

import static io.eddy.protocol.query.QueryShape.BOOLEAN;
import static io.eddy.protocol.query.QueryShape.DOUBLE;
import static io.eddy.protocol.query.QueryShape.INTEGER;
import static io.eddy.protocol.query.QueryShape.STRING;
import static io.eddy.protocol.query.QueryShape.TIMESTAMP;
import static io.eddy.protocol.query.QueryShape.list;
import static io.eddy.protocol.query.QueryShape.map;
import static io.eddy.protocol.query.QueryShape.structure;

import io.eddy.protocol.query.QueryApi;
import io.eddy.protocol.query.QueryShape;

/** CloudWatch's operations as the Query protocol ({@code Version=2010-08-01}) carries them. */
public final class CloudWatchQueryApi {

    public static final String XML_NAMESPACE = "http://monitoring.amazonaws.com/doc/2010-08-01/";

    private CloudWatchQueryApi() {
    }

    public static QueryApi create() {
        QueryShape dimension = structure().member("Name", STRING).member("Value", STRING);
        QueryShape dimensions = list(dimension);
        QueryShape metric = structure().member("Namespace", STRING).member("MetricName", STRING)
                .member("Dimensions", dimensions);
        QueryShape statisticSet = structure().member("SampleCount", DOUBLE).member("Sum", DOUBLE)
                .member("Minimum", DOUBLE).member("Maximum", DOUBLE);
        QueryShape datum = structure()
                .member("MetricName", STRING)
                .member("Dimensions", dimensions)
                .member("Timestamp", TIMESTAMP)
                .member("Value", DOUBLE)
                .member("StatisticValues", statisticSet)
                .member("Values", list(DOUBLE))
                .member("Counts", list(DOUBLE))
                .member("Unit", STRING)
                .member("StorageResolution", INTEGER);
        QueryShape datapoint = structure()
                .member("Timestamp", TIMESTAMP)
                .member("SampleCount", DOUBLE)
                .member("Average", DOUBLE)
                .member("Sum", DOUBLE)
                .member("Minimum", DOUBLE)
                .member("Maximum", DOUBLE)
                .member("Unit", STRING)
                .member("ExtendedStatistics", map(DOUBLE));
        QueryShape metricStat = structure().member("Metric", metric).member("Period", INTEGER)
                .member("Stat", STRING).member("Unit", STRING);
        QueryShape query = structure()
                .member("Id", STRING)
                .member("MetricStat", metricStat)
                .member("Expression", STRING)
                .member("Label", STRING)
                .member("ReturnData", BOOLEAN)
                .member("Period", INTEGER)
                .member("AccountId", STRING);
        QueryShape message = structure().member("Code", STRING).member("Value", STRING);
        QueryShape result = structure()
                .member("Id", STRING)
                .member("Label", STRING)
                .member("Timestamps", list(TIMESTAMP))
                .member("Values", list(DOUBLE))
                .member("StatusCode", STRING)
                .member("Messages", list(message));

        return new QueryApi(XML_NAMESPACE)
                .operation("PutMetricData", structure()
                        .member("Namespace", STRING)
                        .member("MetricData", list(datum)), null)
                .operation("GetMetricStatistics", structure()
                        .member("Namespace", STRING)
                        .member("MetricName", STRING)
                        .member("Dimensions", dimensions)
                        .member("StartTime", TIMESTAMP)
                        .member("EndTime", TIMESTAMP)
                        .member("Period", INTEGER)
                        .member("Statistics", list(STRING))
                        .member("ExtendedStatistics", list(STRING))
                        .member("Unit", STRING), structure()
                        .member("Label", STRING)
                        .member("Datapoints", list(datapoint)))
                .operation("GetMetricData", structure()
                        .member("MetricDataQueries", list(query))
                        .member("StartTime", TIMESTAMP)
                        .member("EndTime", TIMESTAMP)
                        .member("NextToken", STRING)
                        .member("ScanBy", STRING)
                        .member("MaxDatapoints", INTEGER), structure()
                        .member("MetricDataResults", list(result))
                        .member("NextToken", STRING)
                        .member("Messages", list(message)))
                .operation("ListMetrics", structure()
                        .member("Namespace", STRING)
                        .member("MetricName", STRING)
                        .member("Dimensions", dimensions)
                        .member("NextToken", STRING)
                        .member("RecentlyActive", STRING), structure()
                        .member("Metrics", list(metric))
                        .member("NextToken", STRING));
    }
}
