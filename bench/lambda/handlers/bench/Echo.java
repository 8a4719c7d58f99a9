package bench;

import java.util.Map;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;

/** The smallest useful handler: what an invocation costs beyond it is Eddy's overhead. */
public class Echo implements RequestHandler<Map<String, Object>, Object> {

    @Override
    public Object handleRequest(Map<String, Object> event, Context context) {
        return event.get("n");
    }
}
